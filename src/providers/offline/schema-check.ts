/**
 * A small JSON Schema checker for the offline generator: it decides which `oneOf`/`anyOf`
 * branch, `default` or example is usable without compiling the schema with ajv (which costs
 * milliseconds per schema, far over the offline model's budget). It covers the keywords the
 * generator produces values for; unknown keywords are accepted. Tests check the generator's
 * output with real ajv.
 */

export type Schema = boolean | SchemaObject;
export type SchemaObject = { [keyword: string]: unknown };

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves `#`, `#/$defs/x`, `#/definitions/x` and any other local JSON pointer. */
export function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  if (ref === '#' || ref === '#/') return root;
  if (!ref.startsWith('#/')) return findAnchor(root, ref.slice(1), 0);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'boolean' || isSchemaObject(node) ? node : undefined;
}

function findAnchor(node: unknown, anchor: string, depth: number): Schema | undefined {
  if (depth > 20 || typeof node !== 'object' || node === null) return undefined;
  if (isSchemaObject(node) && node.$anchor === anchor) return node;
  for (const child of Object.values(node)) {
    const found = findAnchor(child, anchor, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Compiled `pattern`s by text (pure, so shared by every run and runtime). */
const patternCache = new Map<string, RegExp | null>();

/** The pattern as ajv compiles it (`u` flag), or null when JavaScript cannot compile it. */
export function compilePattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, 'u');
    } catch {
      compiled = null;
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:?\d\d)$/,
  time: /^\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:?\d\d)?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  url: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  uuid: /^(urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
  hostname: /^[a-z0-9](?:[a-z0-9-.]*[a-z0-9])?$/i,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: unknown): boolean {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== typeof right || left === null || right === null || typeof left !== 'object') return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right as object);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key) =>
    deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
  );
}

/** Whether `value` satisfies `schema` (the keywords the generator cares about). */
export function matchesSchema(schema: Schema | undefined, value: unknown, root: Schema, depth = 0): boolean {
  if (schema === false) return false;
  if (!isSchemaObject(schema)) return true;
  if (depth > 64) return true;
  const next = depth + 1;
  const check = (sub: unknown, item: unknown): boolean => matchesSchema(sub as Schema, item, root, next);

  if (typeof schema.$ref === 'string' && !check(resolveRef(root, schema.$ref), value)) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((sub) => check(sub, value))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub) => check(sub, value))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((sub) => check(sub, value)).length !== 1) return false;
  if (schema.not !== undefined && check(schema.not, value)) return false;
  if (schema.if !== undefined) {
    const branch = check(schema.if, value) ? schema.then : schema.else;
    if (branch !== undefined && !check(branch, value)) return false;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) return false;
  }
  if ('const' in schema && !deepEqual(schema.const, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) return false;

  if (typeof value === 'string') return matchesString(schema, value);
  if (typeof value === 'number') return matchesNumber(schema, value);
  if (Array.isArray(value)) return matchesArray(schema, value, check);
  if (isSchemaObject(value)) return matchesObject(schema, value, check);
  return true;
}

function matchesString(schema: SchemaObject, value: string): boolean {
  const length = typeof schema.minLength === 'number' || typeof schema.maxLength === 'number' ? [...value].length : 0;
  if (typeof schema.minLength === 'number' && length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false;
  if (typeof schema.pattern === 'string') {
    const pattern = compilePattern(schema.pattern);
    if (pattern && !pattern.test(value)) return false;
  }
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  return format === undefined || format.test(value);
}

function matchesNumber(schema: SchemaObject, value: number): boolean {
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) return false;
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
    const ratio = value / schema.multipleOf;
    if (ratio !== Math.trunc(ratio)) return false;
  }
  return true;
}

type Check = (schema: unknown, value: unknown) => boolean;

function matchesArray(schema: SchemaObject, value: unknown[], check: Check): boolean {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  for (let index = 0; index < value.length; index += 1) {
    const sub = index < prefix.length ? prefix[index] : rest;
    if (sub !== undefined && !check(sub, value[index])) return false;
  }
  if (schema.uniqueItems === true) {
    for (let index = 1; index < value.length; index += 1) {
      for (let other = 0; other < index; other += 1) if (deepEqual(value[index], value[other])) return false;
    }
  }
  if (schema.contains !== undefined) {
    const count = value.filter((item) => check(schema.contains, item)).length;
    const min = typeof schema.minContains === 'number' ? schema.minContains : 1;
    if (count < min) return false;
    if (typeof schema.maxContains === 'number' && count > schema.maxContains) return false;
  }
  return true;
}

function matchesObject(schema: SchemaObject, value: SchemaObject, check: Check): boolean {
  const keys = Object.keys(value);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) return false;
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) return false;
  if (Array.isArray(schema.required) && !schema.required.every((key) => typeof key === 'string' && key in value)) {
    return false;
  }
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const patterns = isSchemaObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
  for (const key of keys) {
    if (schema.propertyNames !== undefined && !check(schema.propertyNames, key)) return false;
    let known = false;
    if (key in properties) {
      known = true;
      if (!check(properties[key], value[key])) return false;
    }
    for (const [pattern, sub] of patterns) {
      if (compilePattern(pattern)?.test(key)) {
        known = true;
        if (!check(sub, value[key])) return false;
      }
    }
    if (!known && schema.additionalProperties !== undefined && !check(schema.additionalProperties, value[key])) {
      return false;
    }
  }
  return true;
}
