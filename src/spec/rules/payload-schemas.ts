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
    for (const problem of problems.length > 0 ? problems : requiredOutsideClosedObjects(message.schema)) {
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
 * A `required` field an object's `properties` lack where `additionalProperties: false` refuses any
 * other: no answer can pass (`required: [scroe]` beside `score`), so a run asked the model again and
 * again, then failed (OUTPUT_INVALID). Valid JSON Schema, yet a typo every time.
 */
function requiredOutsideClosedObjects(schema: Record<string, unknown>): JsonSchemaProblem[] {
  const problems: JsonSchemaProblem[] = [];
  const walk = (node: unknown, inner: string, depth: number): void => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
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
    for (const [key, value] of Object.entries(properties)) walk(value, joinPointer(inner, 'properties', key), depth + 1);
    for (const key of ['$defs', 'definitions'] as const) {
      if (isObject(node[key])) for (const [name, value] of Object.entries(node[key])) walk(value, joinPointer(inner, key, name), depth + 1);
    }
    for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const) walk(node[key], joinPointer(inner, key), depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      const members = node[key];
      if (Array.isArray(members)) members.forEach((member, index) => walk(member, joinPointer(inner, key, String(index)), depth + 1));
    }
  };
  walk(schema, '', 0);
  return problems;
}
