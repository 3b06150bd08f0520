/**
 * Generates a value valid against a JSON Schema (2020-12 or draft-07 style), deterministic and
 * plausible: `default`, then `examples`, then `const`, then `enum` (preferring a value the
 * prompt names), then by type. Objects get every property in schema order; arrays
 * max(minItems, 2) items; strings are derived from field names and the request's topic.
 */

import { contextFromPrompt, type OfflineContext } from './request-context.js';
import { isSchemaObject, matchesSchema, type Schema, type SchemaObject } from './schema-check.js';
import { flattenSchema, mergeSchemas, omitKeys } from './schema-merge.js';
import { generateString } from './string-values.js';
import { wordIndex } from './text-utils.js';
import { generateNumber } from './number-values.js';
import { generateArray, generateObject } from './containers.js';
import { REPLY_BUDGET, type Generator, type Position } from './generator-types.js';

export type { Schema } from './schema-check.js';

export interface GenerateOptions {
  /** The request's subject and prompt; defaults to a context built from `prompt`. */
  context?: OfflineContext;
  /** The last user message: enum values it names are preferred. Ignored when `context` is given. */
  prompt?: string;
  /** Enum values to prefer, in order (e.g. the react choice). */
  prefer?: readonly unknown[];
  /**
   * An ordering rule for arrays: when an array's items hold an enum naming these values, the
   * array gets one item per value and item i takes `sequence[i]` (e.g. a plan's steps).
   */
  sequence?: readonly unknown[];
  /**
   * Objects get their required properties only (and what `minProperties` asks for), at every
   * depth: a tool's arguments, where optional ones are the tool's to default.
   */
  requiredOnly?: boolean;
}


/** A value for `schema`; `$ref`s resolve against `schema` itself. Never throws. */
export function generateFromSchema(schema: Schema, options: GenerateOptions = {}): unknown {
  const context = options.context ?? contextFromPrompt(options.prompt ?? '');
  const generator: Generator = {
    root: schema,
    context,
    prefer: options.prefer ?? [],
    sequence: options.sequence,
    requiredOnly: options.requiredOnly === true,
    budget: { ...REPLY_BUDGET },
    generate: (sub, at) => generateValue(generator, sub, at),
  };
  return generator.generate(schema, {
    name: '',
    description: '',
    depth: 0,
    pointer: '',
    ordinal: undefined,
    itemIndex: undefined,
    sequenceIndex: undefined,
    language: undefined,
    refs: [],
    shallow: false,
  });
}

const MAX_DEPTH = 40;

function generateValue(generator: Generator, raw: Schema | undefined, at: Position): unknown {
  if (at.depth > MAX_DEPTH) return null;
  const schema = flattenSchema(raw, generator.root);
  if (schema === false) return null;
  if (schema === true) return generateString({}, hintOf(at), generator.context, generator.budget);
  const ref = isSchemaObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
  const here: Position = {
    ...at,
    description: typeof schema.description === 'string' ? schema.description : at.description,
    ...(ref === undefined ? {} : { refs: [...at.refs, ref], shallow: at.shallow || at.refs.includes(ref) }),
  };
  const accepts = (value: unknown): boolean => matchesSchema(schema, value, generator.root);

  if ('default' in schema && accepts(schema.default)) return structuredClone(schema.default);
  if (Array.isArray(schema.examples)) {
    const example = schema.examples.find((candidate) => accepts(candidate));
    if (example !== undefined) return structuredClone(example);
  }
  if ('const' in schema) return structuredClone(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return structuredClone(chooseEnum(generator, schema.enum, here));

  const branches = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  if (branches) return generateBranch(generator, schema, branches, here, accepts);
  if (schema.if !== undefined) return generateConditional(generator, schema, here);

  switch (pickType(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'integer':
      return generateNumber(schema, true, here.ordinal);
    case 'number':
      return generateNumber(schema, false, here.ordinal);
    case 'array':
      return generateArray(generator, schema, here);
    case 'object':
      return generateObject(generator, schema, here);
    default:
      return generateString(schema, hintOf(here), generator.context, generator.budget);
  }
}

function hintOf(at: Position): Parameters<typeof generateString>[1] {
  return {
    name: at.name,
    description: at.description,
    ordinal: at.ordinal,
    language: at.language,
    pointer: at.pointer,
  };
}

/** The non-null type to generate: declared (first non-null), or inferred from keywords. */
function pickType(schema: SchemaObject): string {
  const declared = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const concrete = declared.filter((type) => type !== 'null');
  if (concrete.length > 0) return String(concrete[0]);
  if (declared.length > 0) return 'null';
  if (schema.properties || schema.required || schema.additionalProperties !== undefined || schema.patternProperties) {
    return 'object';
  }
  if (schema.items !== undefined || schema.prefixItems || schema.minItems !== undefined || schema.contains) return 'array';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return 'string';
}

/** Sequence value for this item, then preferred values, then a value the prompt names, else the first. */
function chooseEnum(generator: Generator, values: unknown[], at: Position): unknown {
  const sequenced = at.sequenceIndex === undefined ? undefined : generator.sequence?.[at.sequenceIndex];
  if (sequenced !== undefined && values.includes(sequenced)) return sequenced;
  let chosen = generator.prefer.find((value) => values.includes(value));
  if (chosen === undefined) {
    const prompt = generator.context.promptLower;
    chosen = values.find((value) => {
      if (typeof value !== 'string' && typeof value !== 'number') return false;
      const word = String(value).toLowerCase();
      return word.length > 1 && wordIndex(prompt, word) >= 0;
    });
  }
  const first = chosen === undefined ? values[0] : chosen;
  if (at.itemIndex === undefined || at.itemIndex === 0) return first;
  const ordered = [first, ...values.filter((value) => value !== first)];
  return ordered[at.itemIndex % ordered.length];
}

/** `oneOf`/`anyOf`: the first branch (non-null ones first) whose value satisfies the whole schema. */
function generateBranch(
  generator: Generator,
  schema: SchemaObject,
  keyword: 'oneOf' | 'anyOf',
  at: Position,
  accepts: (value: unknown) => boolean,
): unknown {
  const base = omitKeys(schema, [keyword]);
  const branches = (schema[keyword] as Schema[]).map((branch) => flattenSchema(branch, generator.root));
  const ordered = [...branches.filter((branch) => !isNullOnly(branch)), ...branches.filter(isNullOnly)];
  let fallback: unknown;
  for (const [index, branch] of ordered.entries()) {
    const value = generateValue(generator, mergeSchemas(base, branch), { ...at, depth: at.depth + 1 });
    if (index === 0) fallback = value;
    if (accepts(value)) return value;
  }
  return fallback ?? null;
}

function isNullOnly(schema: Schema): boolean {
  return isSchemaObject(schema) && (schema.type === 'null' || (Array.isArray(schema.enum) && schema.enum.every((v) => v === null)));
}

/** `if`/`then`/`else`: generate without them, then again with the branch that applies. */
function generateConditional(generator: Generator, schema: SchemaObject, at: Position): unknown {
  const base = omitKeys(schema, ['if', 'then', 'else']);
  const first = generateValue(generator, base, { ...at, depth: at.depth + 1 });
  const holds = matchesSchema(schema.if as Schema, first, generator.root);
  const branch = (holds ? schema.then : schema.else) as Schema | undefined;
  if (branch === undefined) return first;
  const second = generateValue(generator, mergeSchemas(base, branch), { ...at, depth: at.depth + 1 });
  return matchesSchema(schema, second, generator.root) ? second : first;
}
