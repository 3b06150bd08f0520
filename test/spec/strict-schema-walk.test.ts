import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileSchema, strictSchemaError } from '../../src/spec/json-schemas.js';
import { AJV_FORMATS, AJV_KEYWORDS, strictSchemaWalk } from '../../src/spec/strict-schema-walk.js';

// The walk stands in for ajv's strict compilation in `sop validate`: its lists are ajv's own, and on
// every schema it answers for, its answer is what ajv (the real one, here) says.

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

describe('the walk knows what ajv knows', () => {
  const ajvOf = (module: string) => {
    const Ajv = (require(module) as { default: new (options: object) => { RULES: { keywords: object }; formats: object } }).default;
    const ajv = new Ajv({ strict: true, strictTypes: false, strictTuples: false, strictRequired: false, validateSchema: false, logger: false });
    (require('ajv-formats') as { default: (ajv: object) => void }).default(ajv);
    return ajv;
  };

  test.each([
    ['draft-07', 'ajv'],
    ['2019-09', 'ajv/dist/2019.js'],
    ['2020-12', 'ajv/dist/2020.js'],
  ] as const)('%s: the keywords ajv knows, and the formats of ajv-formats', (dialect, module) => {
    const ajv = ajvOf(module);
    expect([...AJV_KEYWORDS[dialect]].sort()).toEqual(Object.keys(ajv.RULES.keywords).sort());
    expect([...AJV_FORMATS].sort()).toEqual(Object.keys(ajv.formats).sort());
  });
});

/** ajv's strict verdict: undefined when the schema compiles, else its message. */
function ajvVerdict(schema: Record<string, unknown>): string | undefined {
  const compiled = compileSchema(schema, 'strict');
  return 'error' in compiled ? compiled.error : undefined;
}

function walkVerdict(schema: Record<string, unknown>) {
  const { $schema, ...rest } = schema;
  const dialect = $schema === 'http://json-schema.org/draft-07/schema#' ? 'draft-07' : $schema === 'https://json-schema.org/draft/2019-09/schema' ? '2019-09' : '2020-12';
  return strictSchemaWalk(rest, dialect);
}

/** Schemas the walk answers for alone, with what ajv says of them. */
const ANSWERED: Array<[string, Record<string, unknown>]> = [
  ['a plain object schema', { type: 'object', required: ['a'], properties: { a: { type: 'string', minLength: 1, format: 'email' }, b: { type: 'array', items: { enum: [1, 2] } } }, additionalProperties: false }],
  ['a typo at the root', { type: 'object', propertees: {} }],
  ['a typo deep in a list', { type: 'object', properties: { a: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number', minimun: 1 }] } } } }],
  ['an unknown format', { type: 'object', properties: { email: { type: 'string', format: 'emial' } } }],
  ['an unknown format under a key to escape', { properties: { 'a/b c~%': { format: 'x' } } }],
  ['an unknown format on a non-string type', { type: 'object', format: 'x' }],
  ['an unknown format in a $defs entry reached by $ref', { $defs: { A: { format: 'zz' } }, properties: { b: { $ref: '#/$defs/A' } } }],
  ['a typo in a $defs entry no $ref reaches (ajv does not compile it)', { $defs: { A: { typo: 1 } }, type: 'object' }],
  ['a typo in a $defs entry a $ref reaches', { $defs: { A: { typo: 1 } }, $ref: '#/$defs/A' }],
  ['a recursive schema through a property', { $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } }, $ref: '#/$defs/Node' }],
  ['a pattern neither engine reads', { type: 'string', pattern: 'a(b' }],
  ['a pattern only RE2 reads', { type: 'string', pattern: '(?i)abc' }],
  ['a lookahead pattern', { type: 'string', pattern: '^(?=x)x+$' }],
  ['a patternProperties key neither engine reads', { patternProperties: { 'a(': {} } }],
  ['if/then/else', { if: { properties: { a: { const: 1 } } }, then: { required: ['b'] }, else: { not: { required: ['b'] } } }],
  ['draft-07 tuple items', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'number' }] }],
  ['draft-07 typo', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', propertees: {} }],
  ['2019-09 dependentSchemas and unevaluatedProperties', { $schema: 'https://json-schema.org/draft/2019-09/schema', dependentSchemas: { a: { required: ['b'] } }, unevaluatedProperties: false }],
  ['2020-12 prefixItems, contains, propertyNames', { type: 'array', prefixItems: [{ type: 'string' }], contains: { type: 'number' }, items: { propertyNames: { maxLength: 3 } } }],
  ['a typo beside a recursive `$ref: "#"`', { type: 'object', properties: { child: { $ref: '#' } }, propertees: {} }],
  ['boolean subschemas', { properties: { a: true, b: false }, additionalProperties: false, not: false }],
];

/** Schemas only ajv judges: the walk must say so rather than guess. */
const ASKED: Array<[string, Record<string, unknown>]> = [
  ['two problems (ajv reports its first)', { type: 'object', propertees: {}, format: 'x' }],
  ['an unresolvable $ref', { properties: { a: { $ref: '#/$defs/missing' } } }],
  ['a $ref to another document', { properties: { a: { $ref: 'https://example.com/a.json' } } }],
  ['$id', { $id: 'https://example.com/a', type: 'object' }],
  ['`if` alone', { if: { required: ['a'] } }],
  ['`then` without `if`', { then: { required: ['a'] } }],
  ['properties beside patternProperties', { properties: { ab: {} }, patternProperties: { '^a': {} } }],
  ['nullable without type', { nullable: true }],
  ['minContains', { contains: { type: 'number' }, minContains: 0 }],
  ['draft-07 additionalItems', { $schema: 'http://json-schema.org/draft-07/schema#', items: { type: 'string' }, additionalItems: false }],
  ['a schema nesting very deep', JSON.parse(`${'{"not":'.repeat(100)}{}${'}'.repeat(100)}`) as Record<string, unknown>],
];

describe('the walk answers as ajv does', () => {
  test.each(ANSWERED)('%s', (_name, schema) => {
    const verdict = walkVerdict(schema);
    expect(verdict).not.toHaveProperty('askAjv');
    expect('problem' in verdict ? verdict.problem : undefined).toEqual(ajvVerdict(schema));
  });

  test.each(ASKED)('leaves to ajv: %s', (_name, schema) => {
    expect(walkVerdict(schema)).toEqual({ askAjv: true });
    // And the strict check still gives ajv's verdict.
    expect(strictSchemaError(schema)).toEqual(ajvVerdict(schema));
  });

  test('every JSON Schema shipped in sops/ and examples/ is answered by the walk, as ajv answers', () => {
    const files = ['sops', 'examples'].flatMap((dir) => readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(repoRoot, dir, file)))
      .filter((file) => file.endsWith('.json') && file.includes(`${path.sep}schemas${path.sep}`));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect({ file, verdict: walkVerdict(schema) }).toEqual({ file, verdict: { ok: true } });
      expect(ajvVerdict(schema)).toBeUndefined();
    }
  });
});
