/**
 * Objects and arrays for the offline generator. Objects get every property (required and
 * optional; required ones only for a tool's arguments) in schema order; a `language` property is generated first so file paths elsewhere
 * in the object can match it. Arrays get max(minItems, 2) items within maxItems, unique when
 * `uniqueItems` (a repeated item replaced by another value of its schema), or one item per
 * `sequence` value when the ordering rule applies.
 */

import type { Generator, Position } from './generator-types.js';
import { generateCode } from './code-templates.js';
import { normalizeLanguage, type Language } from './languages.js';
import { samplePattern } from './pattern-sample.js';
import { deepEqual, isSchemaObject, matchesSchema, type Schema, type SchemaObject } from './schema-check.js';
import { flattenSchema, mergeSchemas } from './schema-merge.js';
import { isContentName, isPathName } from './string-values.js';
import { singular } from './text-utils.js';
import { distinctItem } from './unique-items.js';

/** Beyond this depth only required properties and minItems items are generated (recursive schemas). */
const SHALLOW_DEPTH = 12;

const LANGUAGE_NAME = /(^|_)(programming_?)?lang(uage)?$|[a-z]Language$/i;

function child(at: Position, name: string, pointer: string): Position {
  return {
    name,
    description: '',
    depth: at.depth + 1,
    pointer: `${at.pointer}/${pointer}`,
    ordinal: at.ordinal,
    itemIndex: undefined,
    sequenceIndex: at.sequenceIndex,
    language: at.language,
    refs: at.refs,
    shallow: at.shallow,
  };
}

export function generateObject(generator: Generator, schema: SchemaObject, at: Position): Record<string, unknown> {
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : [];
  const onlyRequired = generator.requiredOnly || at.shallow || at.depth > SHALLOW_DEPTH;
  const names = Object.keys(properties).filter(
    (name) => properties[name] !== false && (!onlyRequired || required.includes(name)),
  );
  const generated = new Map<string, unknown>();
  let language = at.language;
  for (const name of [...names.filter((n) => LANGUAGE_NAME.test(n)), ...names.filter((n) => !LANGUAGE_NAME.test(n))]) {
    const value = generator.generate(properties[name] as Schema, { ...child(at, name, name), language });
    generated.set(name, value);
    if (LANGUAGE_NAME.test(name) && typeof value === 'string') language = normalizeLanguage(value) ?? language;
  }
  const result: Record<string, unknown> = {};
  for (const name of names) result[name] = generated.get(name);
  fillContents(generator, properties, result, language);

  for (const name of required) {
    if (name in result) continue;
    const extra = extraSchema(schema, name);
    if (extra !== undefined) result[name] = generator.generate(extra, { ...child(at, name, name), language });
  }
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (let index = 1; Object.keys(result).length < minProperties && index <= minProperties + 8 && generator.budget.values > 0; index += 1) {
    const key = extraKey(generator, schema, at, index);
    if (key === undefined || key in result) continue;
    const extra = extraSchema(schema, key);
    if (extra === undefined) continue;
    result[key] = generator.generate(extra, { ...child(at, key, key), language });
    generator.budget.values -= 1;
  }
  const freeForm = Object.keys(properties).length === 0 && schema.patternProperties === undefined && schema.additionalProperties !== false;
  if (freeForm && Object.keys(result).length === 0) {
    const extra = extraSchema(schema, 'summary') ?? true;
    const candidate = { summary: generator.generate(extra, { ...child(at, 'summary', 'summary'), language }) };
    if (matchesSchema(schema, candidate, generator.root)) return candidate;
  }
  return result;
}

/**
 * `{path, content}`-like objects: the content becomes code for that path (a fix or a file list
 * with contents then writes real, runnable files), when the content's schema accepts it.
 */
function fillContents(generator: Generator, properties: SchemaObject, result: Record<string, unknown>, language: Language | undefined): void {
  const pathName = Object.keys(result).find((name) => isPathName(name) && typeof result[name] === 'string');
  if (pathName === undefined) return;
  for (const name of Object.keys(result)) {
    if (!isContentName(name) || typeof result[name] !== 'string') continue;
    const code = generateCode(language, result[pathName] as string, generator.context);
    if (matchesSchema(properties[name] as Schema, code, generator.root)) result[name] = code;
  }
}

/** The schema an undeclared property `name` must satisfy, or undefined when none is allowed. */
function extraSchema(schema: SchemaObject, name: string): Schema | undefined {
  if (isSchemaObject(schema.patternProperties)) {
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      try {
        if (new RegExp(pattern, 'u').test(name)) return sub as Schema;
      } catch {
        // An invalid pattern matches nothing.
      }
    }
  }
  if (schema.additionalProperties === false) return undefined;
  return schema.additionalProperties === undefined ? true : (schema.additionalProperties as Schema);
}

function extraKey(generator: Generator, schema: SchemaObject, at: Position, index: number): string | undefined {
  const plain = `${singular(at.name) || 'item'}_${index}`.replace(/\s+/g, '_');
  const allowed = (key: string): boolean =>
    schema.propertyNames === undefined || matchesSchema(schema.propertyNames as Schema, key, generator.root);
  if (schema.additionalProperties !== false && allowed(plain)) return plain;
  if (isSchemaObject(schema.patternProperties)) {
    for (const pattern of Object.keys(schema.patternProperties)) {
      const key = samplePattern(pattern, `${plain}`);
      if (key !== undefined && allowed(key)) return key;
    }
  }
  return undefined;
}

export function generateArray(generator: Generator, schema: SchemaObject, at: Position): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const tuple = Array.isArray(schema.items);
  const prefix = (Array.isArray(schema.prefixItems) ? schema.prefixItems : tuple ? (schema.items as unknown[]) : []) as Schema[];
  const rest = (tuple ? schema.additionalItems : schema.items) as Schema | undefined;
  const limit = rest === false ? Math.min(maxItems, prefix.length) : maxItems;
  const sequence = generator.sequence;
  const sequenced =
    sequence !== undefined && sequence.length > 0 && namesValue(generator, rest, sequence[0], 0);
  const listed = generator.context.paths.length > 0 && !sequenced && holdsPaths(generator, rest, singular(at.name));
  let count = sequenced ? sequence.length : listed ? generator.context.paths.length : Math.max(2, prefix.length);
  if (sequence !== undefined && sequence.length === 0 && namesAnyEnum(generator, rest)) count = 0;
  // Which files a file depends on is unknowable here: claim none rather than invent some.
  if (DEPENDENCIES.test(at.name)) count = 0;
  if (at.shallow || at.depth > SHALLOW_DEPTH) count = 0;
  count = Math.min(Math.max(count, minItems), limit, generator.budget.values);

  const itemName = singular(at.name);
  const items: unknown[] = [];
  for (let index = 0; items.length < count && index < count + 8; index += 1) {
    let sub: Schema = index < prefix.length ? (prefix[index] ?? true) : (rest ?? true);
    if (items.length === 0 && schema.contains !== undefined && !sequenced) {
      sub = mergeSchemas(flattenSchema(sub, generator.root), flattenSchema(schema.contains as Schema, generator.root));
    }
    let value = generator.generate(sub, {
      name: itemName,
      description: '',
      depth: at.depth + 1,
      pointer: `${at.pointer}/${index}`,
      ordinal: index + 1,
      itemIndex: index,
      sequenceIndex: sequenced ? items.length : undefined,
      language: at.language,
      refs: at.refs,
      shallow: at.shallow,
    });
    if (schema.uniqueItems === true && items.some((existing) => deepEqual(existing, value))) {
      value = distinctItem(sub, generator.root, value, items);
      if (value === undefined) continue;
    }
    items.push(value);
    generator.budget.values -= 1;
  }
  return items;
}

const DEPENDENCIES = /^(depends_?on|dependencies|prerequisites|requires|imports|blocked_?by)$/i;

/** Whether an array's items are paths, or objects with a path field (one item per listed path). */
function holdsPaths(generator: Generator, items: Schema | undefined, itemName: string): boolean {
  if (isPathName(itemName)) return true;
  const flat = flattenSchema(items, generator.root);
  return isSchemaObject(flat) && isSchemaObject(flat.properties) && Object.keys(flat.properties).some(isPathName);
}

/** Whether `schema` (or a property of it, two levels down) has an enum or const holding `value`. */
function namesValue(generator: Generator, schema: Schema | undefined, value: unknown, depth: number): boolean {
  const flat = flattenSchema(schema, generator.root);
  if (!isSchemaObject(flat) || depth > 2) return false;
  if (Array.isArray(flat.enum) && flat.enum.includes(value)) return true;
  if (isSchemaObject(flat.properties)) {
    return Object.values(flat.properties).some((sub) => namesValue(generator, sub as Schema, value, depth + 1));
  }
  return false;
}

function namesAnyEnum(generator: Generator, schema: Schema | undefined): boolean {
  const flat = flattenSchema(schema, generator.root);
  if (!isSchemaObject(flat)) return false;
  if (Array.isArray(flat.enum)) return true;
  return isSchemaObject(flat.properties) && Object.values(flat.properties).some((sub) => {
    const inner = flattenSchema(sub as Schema, generator.root);
    return isSchemaObject(inner) && Array.isArray(inner.enum);
  });
}
