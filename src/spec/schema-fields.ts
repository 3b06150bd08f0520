import { EACH } from '../templates/types.js';
import { valueAt } from './pointer.js';

/**
 * Which field paths a JSON Schema lets a value have, so `payload.categry` can be refused before a
 * run when the payload's schema is closed (`additionalProperties: false`). Only certain answers
 * count: anything the walk cannot decide (open objects, `patternProperties`, `if`, external refs,
 * deep or circular `$ref`s) is treated as allowed.
 */

/** A schema node and the root its `#/...` refs resolve against. */
interface Located {
  node: unknown;
  root: unknown;
}

type Lookup = { kind: 'open' } | { kind: 'absent' } | { kind: 'found'; schemas: Located[] };

/** The first field of a path that no alternative allows, with the fields that were declared there. */
export interface UnknownField {
  /** Index of the field in the path. */
  index: number;
  field: string;
  /** Fields declared at that level (for did-you-mean and the list of what exists). */
  known: string[];
}

/** Nested `$ref`/`allOf` levels followed before giving up (self-referencing refs never end). */
const MAX_DEPTH = 32;
const OPEN: Lookup = { kind: 'open' };
const ABSENT: Lookup = { kind: 'absent' };

/**
 * The first field of `path` that a value valid against any of `schemas` cannot have; undefined
 * when every field may exist (or the schemas do not say).
 */
export function unknownField(schemas: readonly Record<string, unknown>[], path: readonly string[]): UnknownField | undefined {
  return unknownFrom(schemas.map((schema) => ({ node: schema, root: schema })), path);
}

/**
 * The same for an element of the array at `listPath` (`modules` for `foreach: message.payload.modules`,
 * read as `item.file`): undefined unless every schema declares that array and what its items are.
 */
export function unknownItemField(schemas: readonly Record<string, unknown>[], listPath: readonly string[], path: readonly string[]): UnknownField | undefined {
  const items = schemasAt(schemas, [...listPath, EACH]);
  return items === undefined ? undefined : unknownFrom(items, path);
}

/**
 * The schema nodes of the value at `path`, `EACH` standing for an element of the list before it:
 * undefined unless every schema declares each field on the way (and each list what its items are).
 */
function schemasAt(schemas: readonly Record<string, unknown>[], path: readonly string[]): Located[] | undefined {
  let current: Located[] = schemas.map((schema) => ({ node: schema, root: schema }));
  for (const field of path) {
    if (field === EACH) {
      const items = current.map((located) => itemsOf(located, 0));
      if (items.some((found) => found === undefined)) return undefined;
      current = items as Located[];
      continue;
    }
    const results = current.map((located) => lookup(located, field, 0));
    if (results.some((result) => result.kind !== 'found')) return undefined;
    current = results.flatMap((result) => (result.kind === 'found' ? result.schemas : []));
  }
  return current;
}

/** The `items` schema of an array schema, through internal `$ref`s; undefined when it does not say (tuples, `prefixItems`, no `items`). */
function itemsOf({ node, root }: Located, depth: number): Located | undefined {
  if (!isObject(node) || depth > MAX_DEPTH) return undefined;
  if (typeof node.$ref === 'string' && node.items === undefined) {
    const target = resolveRef(node.$ref, root);
    return target === undefined ? undefined : itemsOf({ node: target, root }, depth + 1);
  }
  if (node.prefixItems !== undefined || !(isObject(node.items) || typeof node.items === 'boolean')) return undefined;
  return { node: node.items, root };
}

function unknownFrom(start: Located[], path: readonly string[]): UnknownField | undefined {
  let current = start;
  for (const [index, field] of path.entries()) {
    const results = current.map((located) => lookup(located, field, 0));
    if (results.some((result) => result.kind === 'open')) return undefined;
    const found = results.flatMap((result) => (result.kind === 'found' ? result.schemas : []));
    if (found.length === 0) return { index, field, known: [...new Set(current.flatMap((located) => declaredFields(located, 0)))] };
    current = found;
  }
  return undefined;
}

/**
 * The JSON types (`string`, `array`, ...) the schemas declare for the value at `path`; undefined
 * when any of them leaves it open (no `type`, an open object, a field not declared).
 */
export function declaredTypes(schemas: readonly Record<string, unknown>[], path: readonly string[]): string[] | undefined {
  const current = schemasAt(schemas, path);
  if (current === undefined) return undefined;
  const types = new Set<string>();
  for (const located of current) {
    const found = typesOf(located, 0);
    if (found === undefined) return undefined;
    for (const type of found) types.add(type);
  }
  return [...types];
}

/**
 * The values the schemas allow at `path` (`EACH` for a list's elements, as `schemasAt`) when each
 * lists them (`enum`, `const`, through an internal `$ref` or every alternative of an
 * `anyOf`/`oneOf`); undefined when any of them leaves it open.
 */
export function declaredValues(schemas: readonly Record<string, unknown>[], path: readonly string[]): unknown[] | undefined {
  const current = schemasAt(schemas, path);
  if (current === undefined) return undefined;
  const values: unknown[] = [];
  for (const located of current) {
    const found = valuesOf(located, 0);
    if (found === undefined) return undefined;
    values.push(...found);
  }
  return [...new Set(values)];
}

/** The values one schema node lists (`enum`, `const`); undefined when it does not say. */
function valuesOf({ node, root }: Located, depth: number): unknown[] | undefined {
  if (!isObject(node) || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(node.enum)) return node.enum;
  if ('const' in node) return [node.const];
  if (typeof node.$ref === 'string') {
    const target = resolveRef(node.$ref, root);
    return target === undefined ? undefined : valuesOf({ node: target, root }, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = node[key];
    if (!Array.isArray(alternatives) || alternatives.length === 0) continue;
    const found = alternatives.map((alternative) => valuesOf({ node: alternative, root }, depth + 1));
    return found.some((values) => values === undefined) ? undefined : found.flat();
  }
  return undefined;
}

/** The types one schema node allows, through an internal `$ref` or `anyOf`/`oneOf`; undefined when it does not say. */
function typesOf({ node, root }: Located, depth: number): string[] | undefined {
  if (!isObject(node) || depth > MAX_DEPTH) return undefined;
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type) && node.type.every((type) => typeof type === 'string')) return node.type as string[];
  if (typeof node.$ref === 'string') {
    const target = resolveRef(node.$ref, root);
    return target === undefined ? undefined : typesOf({ node: target, root }, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = node[key];
    if (!Array.isArray(alternatives) || alternatives.length === 0) continue;
    const found = alternatives.map((alternative) => typesOf({ node: alternative, root }, depth + 1));
    return found.some((types) => types === undefined) ? undefined : [...new Set(found.flat() as string[])];
  }
  return undefined;
}

/** What reading `field` of a value valid against `located` gives. */
function lookup(located: Located, field: string, depth: number): Lookup {
  const { node, root } = located;
  if (node === false) return ABSENT;
  if (!isObject(node) || depth > MAX_DEPTH || 'if' in node) return OPEN;

  // This level's own answer: its properties, patterns and additionalProperties.
  const own: Located[] = [];
  const properties = node.properties;
  if (isObject(properties) && Object.hasOwn(properties, field)) own.push({ node: properties[field], root });
  if (isObject(node.patternProperties)) {
    if (Object.keys(node.patternProperties).some((pattern) => patternMatches(pattern, field))) return OPEN;
  }
  let result: Lookup;
  if (own.length > 0) result = { kind: 'found', schemas: own };
  else if (node.additionalProperties === false) return ABSENT;
  else if (isObject(node.additionalProperties)) result = { kind: 'found', schemas: [{ node: node.additionalProperties, root }] };
  else result = OPEN;

  // Every conjunct must allow the field; in an `anyOf`/`oneOf`, one alternative is enough.
  for (const conjunct of conjuncts(located)) result = both(result, lookup(conjunct, field, depth + 1));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = node[key];
    if (!Array.isArray(alternatives) || alternatives.length === 0) continue;
    result = both(result, either(alternatives.map((alternative) => lookup({ node: alternative, root }, field, depth + 1))));
  }
  // `unevaluatedProperties: false`: only fields some part of the schema names.
  if (result.kind === 'open' && node.unevaluatedProperties === false) return ABSENT;
  return result;
}

/** `allOf` members and an internal `$ref` (a ref beside other keywords applies as one more conjunct). */
function conjuncts({ node, root }: Located): Located[] {
  const found: Located[] = [];
  if (!isObject(node)) return found;
  if (Array.isArray(node.allOf)) for (const member of node.allOf) found.push({ node: member, root });
  if (typeof node.$ref === 'string') {
    const target = resolveRef(node.$ref, root);
    // An unresolvable or external ref says nothing certain.
    found.push({ node: target === undefined ? true : target, root });
  }
  return found;
}

function both(left: Lookup, right: Lookup): Lookup {
  if (left.kind === 'absent' || right.kind === 'absent') return ABSENT;
  if (left.kind === 'open') return right;
  if (right.kind === 'open') return left;
  return { kind: 'found', schemas: [...left.schemas, ...right.schemas] };
}

function either(results: Lookup[]): Lookup {
  if (results.some((result) => result.kind === 'open')) return OPEN;
  const schemas = results.flatMap((result) => (result.kind === 'found' ? result.schemas : []));
  return schemas.length === 0 ? ABSENT : { kind: 'found', schemas };
}

/** Property names a schema declares, through `allOf`, `anyOf`, `oneOf` and internal refs. */
function declaredFields(located: Located, depth: number): string[] {
  const { node, root } = located;
  if (!isObject(node) || depth > MAX_DEPTH) return [];
  const names = isObject(node.properties) ? Object.keys(node.properties) : [];
  const nested = [...conjuncts(located), ...(['anyOf', 'oneOf'] as const).flatMap((key) => (Array.isArray(node[key]) ? node[key].map((member) => ({ node: member, root })) : []))];
  for (const member of nested) names.push(...declaredFields(member, depth + 1));
  return [...new Set(names)];
}

/** `#` or `#/$defs/x` inside the same schema; undefined for anything else. */
function resolveRef(ref: string, root: unknown): unknown {
  try {
    return ref.startsWith('#') ? valueAt(root, decodeURIComponent(ref.slice(1))) : undefined;
  } catch {
    return undefined; // a malformed %-escape: the schema's own check reports it
  }
}

function patternMatches(pattern: string, field: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(field);
  } catch {
    return true;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
