import { jsonSchemaRegExp } from '../expressions/regex.js';

/*
 * What ajv's strict mode refuses in a schema that already conforms to its dialect's meta-schema
 * (json-schemas.ts sets the options), found by walking the schema instead of loading and compiling
 * ajv (~400 ms of `sop validate` on a loaded machine). The walk answers for the constructs it
 * models fully and says `askAjv` for the rest, so its answer is always ajv's own:
 * - an unknown keyword, an unknown format, a `pattern` or `patternProperties` key no engine reads:
 *   ajv's message, when it is the schema's only problem (ajv stops at its first, in its own order);
 * - two problems or more, an unresolvable or non-local `$ref`, `$id` and the dynamic references,
 *   keywords with strict rules of their own (`if` alone, `minContains`, `properties` beside
 *   `patternProperties`, `nullable`, ...), a schema nesting deeper than `MAX_DEPTH`: ajv decides.
 * - a schema naming itself or its parts (`$id`, anchors, even as a property name): ajv decides.
 * Like ajv, it checks only what is compiled: the root, its subschemas, and `$defs` reached by `$ref`.
 */

type Dialect = 'draft-07' | '2019-09' | '2020-12';

export type StrictVerdict = { ok: true } | { problem: string } | { askAjv: true };

/** Keywords ajv knows in every dialect (its RULES.keywords; test/spec/strict-schema-walk.test.ts pins the lists). */
const COMMON_KEYWORDS = [
  '$async', '$schema', '$id', '$defs', '$vocabulary', '$comment', 'definitions', 'id', '$ref', 'maximum', 'minimum',
  'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'maxLength', 'minLength', 'pattern', 'maxProperties', 'minProperties',
  'required', 'maxItems', 'minItems', 'uniqueItems', 'type', 'nullable', 'const', 'enum', 'not', 'anyOf', 'oneOf', 'allOf',
  'if', 'then', 'else', 'propertyNames', 'additionalProperties', 'dependencies', 'properties', 'patternProperties', 'items',
  'contains', 'format', 'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples',
  'contentMediaType', 'contentEncoding', 'contentSchema', 'formatMaximum', 'formatMinimum', 'formatExclusiveMaximum',
  'formatExclusiveMinimum',
];
const SINCE_2019 = [
  '$dynamicAnchor', '$dynamicRef', '$recursiveAnchor', '$recursiveRef', 'dependentRequired', 'dependentSchemas', 'maxContains',
  'minContains', 'unevaluatedProperties', 'unevaluatedItems',
];
export const AJV_KEYWORDS: Record<Dialect, ReadonlySet<string>> = {
  'draft-07': new Set([...COMMON_KEYWORDS, 'additionalItems']),
  '2019-09': new Set([...COMMON_KEYWORDS, ...SINCE_2019, 'additionalItems']),
  '2020-12': new Set([...COMMON_KEYWORDS, ...SINCE_2019, 'prefixItems']),
};

/** The formats ajv-formats adds (pinned by the same test). */
export const AJV_FORMATS: ReadonlySet<string> = new Set([
  'date', 'time', 'date-time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email',
  'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment', 'relative-json-pointer', 'byte',
  'int32', 'int64', 'float', 'double', 'password', 'binary',
]);

/** Keywords whose value is data, not a schema: nothing to walk, nothing strict about them. */
const PLAIN = new Set([
  '$comment', '$defs', 'definitions', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'maxLength',
  'minLength', 'maxProperties', 'minProperties', 'required', 'maxItems', 'minItems', 'uniqueItems', 'type', 'const', 'enum',
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'contentMediaType', 'contentEncoding',
  'dependentRequired',
]);
const ONE_SCHEMA = new Set(['not', 'if', 'then', 'else', 'contains', 'additionalProperties', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'items']);
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_MAP = new Set(['properties', 'patternProperties', 'dependentSchemas']);

/** Deeper than this, ajv's compiler may run out of stack where the walk does not: ajv decides. */
const MAX_DEPTH = 64;

class AskAjv extends Error {}

/** ajv's strict verdict on `schema` (without `$schema`), read in `dialect`. */
export function strictSchemaWalk(schema: Record<string, unknown>, dialect: Dialect): StrictVerdict {
  const problems: string[] = [];
  // `$ref`s already followed (the root is walked first).
  const walked = new Set<string>(['#']);
  const known = AJV_KEYWORDS[dialect];

  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (typeof node === 'boolean') return;
    if (!node || typeof node !== 'object' || Array.isArray(node) || depth > MAX_DEPTH) throw new AskAjv();
    const at = node as Record<string, unknown>;
    if (hasStrictRulesOfItsOwn(at)) throw new AskAjv();
    for (const [key, value] of Object.entries(at)) {
      const inner = `${pointer}/${escapeFragment(key)}`;
      if (!known.has(key)) problems.push(`strict mode: unknown keyword: "${key}"`);
      else if (PLAIN.has(key)) continue;
      else if (key === 'format') checkFormat(value, pointer);
      else if (key === 'pattern') checkPattern(value);
      else if (key === '$ref') followRef(value, depth);
      // `items` is a list of schemas (draft-07, 2019-09) or one schema.
      else if (SCHEMA_LIST.has(key) && Array.isArray(value)) value.forEach((item, index) => walk(item, `${inner}/${index}`, depth + 1));
      else if (ONE_SCHEMA.has(key)) walk(value, inner, depth + 1);
      else if (SCHEMA_MAP.has(key) && value && typeof value === 'object') {
        for (const [name, child] of Object.entries(value)) {
          if (key === 'patternProperties') checkPattern(name);
          walk(child, `${inner}/${escapeFragment(name)}`, depth + 1);
        }
      } else throw new AskAjv();
    }
  };

  const checkFormat = (format: unknown, pointer: string): void => {
    if (typeof format !== 'string') throw new AskAjv();
    if (!AJV_FORMATS.has(format)) problems.push(`unknown format "${format}" ignored in schema at path "#${pointer}"`);
  };

  const checkPattern = (pattern: unknown): void => {
    if (typeof pattern !== 'string') throw new AskAjv();
    try {
      jsonSchemaRegExp(pattern, 'u');
    } catch (error) {
      problems.push((error as Error).message);
    }
  };

  // A local JSON pointer (`#`, `#/$defs/Item`) is walked once, at its own place, as ajv compiles it.
  const followRef = (ref: unknown, depth: number): void => {
    if (typeof ref !== 'string' || !/^#(\/|$)/.test(ref) || /[%~]/.test(ref)) throw new AskAjv();
    if (walked.has(ref)) return;
    walked.add(ref);
    let target: unknown = schema;
    for (const name of ref.split('/').slice(1)) {
      if (!target || typeof target !== 'object' || !Object.hasOwn(target, name)) throw new AskAjv();
      target = (target as Record<string, unknown>)[name];
    }
    // ajv names a referenced schema's place by the reference as written (no `%` or `~` here).
    walk(target, ref.slice(1), depth + 1);
  };

  // A schema naming itself or its parts (`$id`, anchors) resolves `$ref`s against those names.
  if (/"\$(id|anchor|dynamicAnchor|recursiveAnchor)":/.test(JSON.stringify(schema))) return { askAjv: true };
  try {
    walk(schema, '', 0);
  } catch (error) {
    if (error instanceof AskAjv) return { askAjv: true };
    throw error;
  }
  if (problems.length === 0) return { ok: true };
  return problems.length === 1 ? { problem: problems[0] as string } : { askAjv: true };
}

/**
 * Keyword combinations ajv's strict mode judges by rules of their own: `if` without `then` and
 * `else` (or `then`/`else` without `if`), and `properties` beside `patternProperties` (a property
 * name a pattern matches is refused).
 */
function hasStrictRulesOfItsOwn(schema: Record<string, unknown>): boolean {
  const has = (key: string) => Object.hasOwn(schema, key);
  if (has('if') !== (has('then') || has('else'))) return true;
  return has('properties') && has('patternProperties');
}

/** A key as ajv writes it in a schema path (`escapeFragment`). */
function escapeFragment(key: string): string {
  return encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));
}
