import type { ErrorObject } from 'ajv';
import { isWithin, joinPointer } from '../pointer.js';
import { collapseErrors, type SchemaProblem } from '../schema-errors.js';
import { compilePayloadSchema, payloadAjv } from '../payload-validators.js';
import { describeSchema, typeWords, valueWords } from '../schema-words.js';
import { didYouMean, listNames, nearestFirst } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

/**
 * PAYLOAD_SCHEMA_INVALID: every message type's payload schema must be a valid JSON Schema
 * (2020-12), strict about unknown keywords (`propertees`) and unknown types (`objekt`).
 */
export function payloadSchemas(context: RuleContext): void {
  for (const message of Object.values(context.sop.messages)) {
    if (!message.schema) continue;
    const ajv = payloadAjv();
    const base = joinPointer('/messages', message.name, 'schema');
    // A schema whose file refs failed is incomplete; its ref errors already say what to fix.
    if (context.sink.diagnostics.some((diagnostic) => diagnostic.code.startsWith('FILE_REF_') && isWithin(diagnostic.pointer ?? '', base))) continue;
    const report = (pointer: string, detail: string, extra: { expected?: string; hint?: string; at?: 'key' | 'value' } = {}): void => {
      context.sink.error('PAYLOAD_SCHEMA_INVALID', pointer, `invalid payload schema for \`${message.name}\` at ${pointer}: ${detail}`, extra);
    };
    if (!ajv.validateSchema(message.schema)) {
      for (const problem of collapseErrors((ajv.errors ?? []) as ErrorObject[], () => undefined)) {
        const pointer = base + problem.instancePath;
        report(pointer, describeProblem(problem), expectationOf(problem));
      }
      continue;
    }
    try {
      compilePayloadSchema(message.schema);
    } catch (error) {
      const text = (error as Error).message;
      const keyword = /unknown keyword: "([^"]+)"/.exec(text)?.[1];
      const where = keyword ? findKey(message.schema, keyword) : undefined;
      report(where ? base + where : base, text.replace(/^strict mode: /, ''), {
        at: where ? 'key' : 'value',
        hint: keyword
          ? didYouMean(keyword, KNOWN_KEYWORDS) ?? 'payload schemas are JSON Schema 2020-12; unknown keywords are refused'
          : 'payload schemas are JSON Schema 2020-12 (https://json-schema.org)',
      });
    }
  }
}

const KNOWN_KEYWORDS = [
  'type', 'properties', 'required', 'items', 'prefixItems', 'additionalProperties', 'enum', 'const', 'description', 'title',
  'default', 'examples', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'format',
  'oneOf', 'anyOf', 'allOf', 'not', '$defs', '$ref', 'uniqueItems', 'patternProperties', 'propertyNames', 'if', 'then', 'else',
];

function describeProblem(problem: SchemaProblem): string {
  switch (problem.keyword) {
    case 'enum':
      return `${typeof problem.data === 'string' ? `\`${problem.data}\`` : valueWords(problem.data)} is not allowed here`;
    case 'type':
      return `expected ${problem.alternatives ? problem.alternatives.join(' or ') : typeWords(problem.params.type)}, got ${valueWords(problem.data)}`;
    default:
      return problem.message;
  }
}

function expectationOf(problem: SchemaProblem): { expected?: string; hint?: string } {
  if (problem.keyword === 'enum' && Array.isArray(problem.params.allowedValues)) {
    const allowed = problem.params.allowedValues.map(String);
    const written = String(problem.data);
    const hint = didYouMean(written, allowed);
    return { expected: `one of: ${listNames(nearestFirst(written, allowed))}`, ...(hint ? { hint } : {}) };
  }
  if (problem.alternatives) return { expected: problem.alternatives.join(' or ') };
  if (problem.parentSchema) return { expected: describeSchema(problem.parentSchema, () => undefined) };
  return {};
}

/** Pointer (inside the schema) of the first object key named `key`, depth first. */
function findKey(node: unknown, key: string, pointer = ''): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (!Array.isArray(node) && Object.hasOwn(node, key)) return joinPointer(pointer, key);
  for (const [name, child] of Object.entries(node)) {
    const found = findKey(child, key, joinPointer(pointer, name));
    if (found) return found;
  }
  return undefined;
}
