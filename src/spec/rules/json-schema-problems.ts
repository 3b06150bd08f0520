import { isStackOverflow } from '../../errors/index.js';
import { joinPointer } from '../pointer.js';
import { refLoop } from '../schema-ref-loops.js';
import { collapseErrors, limitExpectation, type SchemaProblem } from '../schema-errors.js';
import { SUPPORTED_DIALECTS, metaSchemaErrors, strictSchemaError } from '../json-schemas.js';
import { describeSchema, typeWords, valueWords } from '../schema-words.js';
import { didYouMean, listNames } from '../suggest.js';

/** One reason a JSON Schema written in the SOP is not valid, located inside it. */
export interface JsonSchemaProblem {
  /** Pointer inside the schema ('' for the schema itself). */
  inner: string;
  detail: string;
  at: 'key' | 'value';
  expected?: string;
  hint: string | undefined;
}

const HINT = `JSON Schema ${SUPPORTED_DIALECTS} (https://json-schema.org)`;

/**
 * Why `schema` is not a valid JSON Schema (of its `$schema` dialect) for the ajv that payloads and
 * tool arguments are checked with (strict about unknown keywords such as `propertees` and types such
 * as `objekt`). Empty when it compiles.
 */
export function jsonSchemaProblems(schema: Record<string, unknown>): JsonSchemaProblem[] {
  const metaErrors = metaSchemaErrors(schema);
  if (!Array.isArray(metaErrors)) return [{ inner: '/$schema', detail: metaErrors.unsupported, at: 'value', hint: HINT }];
  if (metaErrors.length > 0) {
    return collapseErrors(metaErrors, () => undefined).map((problem) => ({
      inner: problem.instancePath,
      detail: describeProblem(problem),
      at: 'value',
      hint: listHint(problem),
      ...expectationOf(problem),
    }));
  }
  const loop = refLoop(schema);
  if (loop) {
    return [{
      inner: loop.pointer,
      detail: `\`$ref\` leads back to itself (${loop.chain.join(' → ')}) without reaching a property or item, so checking a value would never end`,
      at: 'value',
      hint: 'a recursive schema recurses through a property or item: `properties: { children: { type: array, items: { $ref: "#/$defs/Node" } } }`',
    }];
  }
  const tooDeep: JsonSchemaProblem = { inner: '', detail: 'the schema nests or refers too deeply for the validator', at: 'value', hint: 'flatten it, and let recursive `$ref`s go through a property or item' };
  let text: string | undefined;
  try {
    text = strictSchemaError(schema);
  } catch (error) {
    if (isStackOverflow(error)) return [tooDeep];
    throw error;
  }
  if (text === undefined) return [];
  if (/call stack/i.test(text)) return [tooDeep];
  const missing = /can't resolve reference (\S+) from id/.exec(text)?.[1];
  const refAt = missing === undefined ? undefined : findRef(schema, missing);
  if (missing !== undefined && refAt !== undefined) return [unresolvedRef(schema, missing, refAt)];
  const keyword = /unknown keyword: "([^"]+)"/.exec(text)?.[1];
  const where = keyword ? findKey(schema, keyword) : undefined;
  return [
    {
      inner: where ?? '',
      detail: text.replace(/^strict mode: /, ''),
      at: where ? 'key' : 'value',
      hint: keyword ? (didYouMean(keyword, KNOWN_KEYWORDS) ?? `${HINT}; unknown keywords are refused`) : HINT,
    },
  ];
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

/** `"enum": "urgent"`, `"required": "id"`: one value where the keyword takes a list; the list to write. */
function listHint(problem: SchemaProblem): string | undefined {
  const single = problem.data;
  if (problem.keyword !== 'type' || problem.params.type !== 'array' || single === null || typeof single === 'object') return undefined;
  return `write a list: ${JSON.stringify([single])}`;
}

function expectationOf(problem: SchemaProblem): { expected?: string; hint?: string } {
  if (problem.keyword === 'enum' && Array.isArray(problem.params.allowedValues)) {
    const allowed = problem.params.allowedValues.map(String);
    const written = String(problem.data);
    const hint = didYouMean(written, allowed);
    return { expected: `one of: ${listNames(allowed)}`, ...(hint ? { hint } : {}) };
  }
  if (problem.alternatives) return { expected: problem.alternatives.join(' or ') };
  const limit = limitExpectation(problem);
  if (limit) return { expected: limit };
  if (problem.parentSchema) return { expected: describeSchema(problem.parentSchema, () => undefined) };
  return {};
}

/**
 * `"$ref": "#/$defs/Step"` with no `Step` under `$defs`: ajv's "can't resolve reference" was placed
 * at the schema's first line with the dialect hint. Located at the `$ref`, with the names that are there.
 */
function unresolvedRef(schema: Record<string, unknown>, ref: string, at: string): JsonSchemaProblem {
  const section = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const defined = section ? Object.keys((schema[section[1]!] as Record<string, unknown> | undefined) ?? {}) : [];
  const near = section ? didYouMean(section[2]!, defined) : undefined;
  return {
    inner: joinPointer(at, '$ref'),
    detail: `\`$ref\` ${JSON.stringify(ref)} points at nothing in this schema`,
    at: 'value',
    ...(section ? { expected: defined.length > 0 ? `one of: ${defined.map((name) => `#/${section[1]}/${name}`).join(', ')}` : `a \`${section[1]}\` entry named \`${section[2]}\`` } : {}),
    hint: near ?? (section ? `define it at the schema's top level: \`"${section[1]}": { "${section[2]}": { "type": "object", ... } }\`` : 'a `$ref` inside a schema is a JSON pointer into it (`#/$defs/NAME`) or a file path relative to the SOP'),
  };
}

/** Pointer (inside the schema) of the first `$ref` whose value is `ref`, depth first: the object holding it. */
function findRef(node: unknown, ref: string, pointer = ''): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (!Array.isArray(node) && (node as Record<string, unknown>)['$ref'] === ref) return pointer;
  for (const [name, child] of Object.entries(node)) {
    const found = findRef(child, ref, joinPointer(pointer, name));
    if (found !== undefined) return found;
  }
  return undefined;
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
