import { isWithin, joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import { isObject } from './open-objects.js';
import type { JsonSchemaProblem } from './json-schema-problems.js';
import { jsonSchemaProblems } from './json-schema-problems.js';
import type { RuleContext } from './rule-context.js';
import { schemaFilePlace } from './schema-file-place.js';

/**
 * PAYLOAD_SCHEMA_INVALID: every message type's payload schema must be a valid JSON Schema
 * (2020-12), strict about unknown keywords (`propertees`) and unknown types (`objekt`).
 */
export function payloadSchemas(context: RuleContext): void {
  for (const message of Object.values(context.sop.messages)) {
    if (!message.schema) continue;
    const base = joinPointer('/messages', message.name, 'schema');
    // A schema whose file refs failed is incomplete; its ref errors already say what to fix.
    if (context.sink.diagnostics.some((diagnostic) => diagnostic.code.startsWith('FILE_REF_') && isWithin(diagnostic.pointer ?? '', base))) continue;
    const problems = jsonSchemaProblems(message.schema);
    for (const problem of problems.length > 0 ? problems : unmeetableParts(message.schema)) {
      const pointer = base + problem.inner;
      // A mistake in a `$ref`'d file is located there, at the keyword, as the file's other problems are.
      const inFile = schemaFilePlace(message.schema, problem.inner, problem.at);
      const where = inFile ? `${inFile.file}#${inFile.pointer}` : pointer;
      context.sink.error('PAYLOAD_SCHEMA_INVALID', pointer, `invalid payload schema for \`${message.name}\` at ${where}: ${problem.detail}`, {
        at: problem.at,
        ...(inFile ? { file: inFile.file, position: inFile.position } : {}),
        ...(problem.expected === undefined ? {} : { expected: problem.expected }),
        ...(problem.hint === undefined ? {} : { hint: problem.hint }),
      });
    }
  }
}

/** Nested levels walked (refs are not followed: each definition is walked where it is written). */
const MAX_DEPTH = 32;

/**
 * Parts of a valid JSON Schema no answer can meet, so a run asked the model again and again, then
 * failed (OUTPUT_INVALID), paying for each re-ask: a `required` field an object's `properties` lack
 * where `additionalProperties: false` refuses any other (`required: [scroe]` beside `score`), a
 * lower bound above its upper one (`minimum: 11, maximum: 10`), integer bounds with no integer
 * between them (`minimum: 1.5, maximum: 1.7`), an empty `enum`, or an `enum` or `const` none of
 * whose values is of the `type` declared beside it (`type: integer, enum: [low, high]`).
 */
function unmeetableParts(schema: Record<string, unknown>): JsonSchemaProblem[] {
  const problems: JsonSchemaProblem[] = [];
  // Under `not` and `if` a schema nothing meets is a way of saying "always" or "never", not a mistake.
  const walk = (node: unknown, inner: string, depth: number, negated = false): void => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
    if (!negated) {
      const crossed = crossedBounds(node, inner);
      problems.push(...crossed, ...(crossed.length > 0 ? [] : noIntegerBetween(node, inner)), ...enumOutsideType(node, inner), ...constOutsideType(node, inner));
    }
    const properties = isObject(node.properties) ? node.properties : {};
    if (node.additionalProperties === false && !('patternProperties' in node) && Array.isArray(node.required)) {
      node.required.forEach((name, index) => {
        if (typeof name !== 'string' || Object.hasOwn(properties, name)) return;
        const fields = Object.keys(properties);
        problems.push({
          inner: `${inner}/required/${index}`,
          at: 'value',
          detail: `\`${name}\` is required, but \`properties\` does not declare it and \`additionalProperties: false\` refuses any field it does not declare: no answer can pass`,
          expected: fields.length === 0 ? 'a field declared under `properties`' : `a field declared under \`properties\`: ${listNames(fields)}`,
          hint: didYouMean(name, fields) ?? `declare \`${name}\` under \`properties\`, or remove it from \`required\``,
        });
      });
    }
    for (const [key, value] of Object.entries(properties)) walk(value, joinPointer(inner, 'properties', key), depth + 1, negated);
    for (const key of ['$defs', 'definitions'] as const) {
      if (isObject(node[key])) for (const [name, value] of Object.entries(node[key])) walk(value, joinPointer(inner, key, name), depth + 1, negated);
    }
    for (const key of ['items', 'additionalProperties', 'then', 'else'] as const) walk(node[key], joinPointer(inner, key), depth + 1, negated);
    for (const key of ['not', 'if'] as const) walk(node[key], joinPointer(inner, key), depth + 1, true);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      const members = node[key];
      if (Array.isArray(members)) members.forEach((member, index) => walk(member, joinPointer(inner, key, String(index)), depth + 1, negated));
    }
  };
  walk(schema, '', 0);
  return problems;
}

/**
 * Each lower bound with the upper bound it must not pass (`exclusive`: equal values meet nothing
 * too), and the types they bound: a value of another type ignores them, so they make a schema
 * unmeetable only where its `type` allows no other.
 */
const NUMBERS = ['number', 'integer'];
const BOUNDS: ReadonlyArray<readonly [string, string, boolean, readonly string[]]> = [
  ['minimum', 'maximum', false, NUMBERS],
  ['exclusiveMinimum', 'exclusiveMaximum', true, NUMBERS],
  ['minimum', 'exclusiveMaximum', true, NUMBERS],
  ['exclusiveMinimum', 'maximum', true, NUMBERS],
  ['minLength', 'maxLength', false, ['string']],
  ['minItems', 'maxItems', false, ['array']],
  ['minProperties', 'maxProperties', false, ['object']],
];

/** A lower bound above its upper one (`type: integer, minimum: 11, maximum: 10`): said at the lower bound. */
function crossedBounds(node: Record<string, unknown>, inner: string): JsonSchemaProblem[] {
  const problems: JsonSchemaProblem[] = [];
  const types = declaredTypes(node);
  for (const [low, high, exclusive, bounded] of BOUNDS) {
    const lower = node[low];
    const upper = node[high];
    if (typeof lower !== 'number' || typeof upper !== 'number') continue;
    if (exclusive ? lower < upper : lower <= upper) continue;
    if (types.length === 0 || !types.every((type) => bounded.includes(type))) continue;
    problems.push({
      inner: joinPointer(inner, low),
      at: 'value',
      detail: `\`${low}: ${lower}\` is ${lower === upper ? 'equal to' : 'above'} \`${high}: ${upper}\`: no value can meet both, so the model can never give one`,
      expected: `\`${low}\` ${exclusive ? 'below' : 'at most'} \`${high}\``,
      hint: lower === upper ? `correct one of the two bounds` : `correct the bounds (swapped? \`${low}: ${upper}, ${high}: ${lower}\`)`,
    });
  }
  return problems;
}

/**
 * Bounds of an `integer` that meet as numbers but hold no integer (`minimum: 1.5, maximum: 1.7`,
 * `exclusiveMinimum: 1, exclusiveMaximum: 2`): said at the lower bound that is the tighter.
 */
function noIntegerBetween(node: Record<string, unknown>, inner: string): JsonSchemaProblem[] {
  const types = declaredTypes(node);
  if (types.length === 0 || !types.every((type) => type === 'integer')) return [];
  // Each bound present, with the least (lower bounds) or greatest (upper bounds) integer it allows.
  const bound = (key: string, toInteger: (value: number) => number): Array<{ key: string; value: number; integer: number }> => {
    const value = node[key];
    return typeof value === 'number' && Number.isFinite(value) ? [{ key, value, integer: toInteger(value) }] : [];
  };
  const lower = [...bound('minimum', Math.ceil), ...bound('exclusiveMinimum', (value) => Math.floor(value) + 1)].sort((a, b) => b.integer - a.integer)[0];
  const upper = [...bound('maximum', Math.floor), ...bound('exclusiveMaximum', (value) => Math.ceil(value) - 1)].sort((a, b) => a.integer - b.integer)[0];
  if (!lower || !upper || lower.integer <= upper.integer) return [];
  return [{
    inner: joinPointer(inner, lower.key),
    at: 'value',
    detail: `no integer lies between \`${lower.key}: ${lower.value}\` and \`${upper.key}: ${upper.value}\`, and \`type\` is \`integer\`, so the model can never give one`,
    expected: 'bounds with an integer between them',
    hint: `widen the bounds to hold an integer, or make \`type\` \`number\``,
  }];
}

const TYPE_TESTS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  null: (value) => value === null,
  array: (value) => Array.isArray(value),
  object: (value) => isObject(value),
};

/** An `enum` with no value, or none of the `type` beside it (`type: integer, enum: [low, high]`): said at the `enum`. */
function enumOutsideType(node: Record<string, unknown>, inner: string): JsonSchemaProblem[] {
  const values = node.enum;
  if (!Array.isArray(values)) return [];
  if (values.length === 0) {
    return [{ inner: joinPointer(inner, 'enum'), at: 'value', detail: 'an empty `enum` allows no value, so the model can never give one', expected: 'at least one value', hint: 'list the values allowed, or remove `enum`' }];
  }
  const types = declaredTypes(node);
  if (types.length === 0 || values.some((value) => types.some((type) => TYPE_TESTS[type]?.(value)))) return [];
  const declared = types.map((type) => `\`${type}\``).join(' or ');
  return [{
    inner: joinPointer(inner, 'enum'),
    at: 'value',
    detail: `no value of \`enum\` (${values.map((value) => JSON.stringify(value)).join(', ')}) is of \`type\` ${declared}, so the model can never give one`,
    expected: `values of type ${declared}`,
    hint: `make \`type\` the values' type, or list values of type ${declared}`,
  }];
}

/** A `const` not of the `type` beside it (`type: integer, const: high`): said at the `const`. */
function constOutsideType(node: Record<string, unknown>, inner: string): JsonSchemaProblem[] {
  if (!('const' in node)) return [];
  const types = declaredTypes(node);
  if (types.length === 0 || types.some((type) => TYPE_TESTS[type]?.(node.const))) return [];
  const declared = types.map((type) => `\`${type}\``).join(' or ');
  return [{
    inner: joinPointer(inner, 'const'),
    at: 'value',
    detail: `\`const: ${JSON.stringify(node.const)}\` is not of \`type\` ${declared}, so the model can never give one`,
    expected: `a value of type ${declared}`,
    hint: `make \`type\` the value's type, or give a \`const\` of type ${declared}`,
  }];
}

/** The JSON types a schema's `type` allows (none when it has no `type`: every type). */
function declaredTypes(node: Record<string, unknown>): string[] {
  return (Array.isArray(node.type) ? node.type : [node.type]).filter((type): type is string => typeof type === 'string' && type in TYPE_TESTS);
}
