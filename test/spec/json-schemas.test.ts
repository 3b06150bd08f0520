import { createRequire } from 'node:module';
import { afterAll, describe, expect, test } from 'vitest';
import { SchemaValidators } from '../../src/spec/index.js';
import { metaSchemaErrors } from '../../src/spec/json-schemas.js';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_2019 = 'https://json-schema.org/draft/2019-09/schema';
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** A schema as `zod-to-json-schema` writes it for the official MCP servers (draft-07). */
const sumSchema = ($schema: string | undefined) => ({
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
  additionalProperties: false,
  ...($schema === undefined ? {} : { $schema }),
});

describe('JSON Schema dialects', () => {
  const validators = new SchemaValidators();

  test.each([
    ['draft-07', DRAFT_07],
    ['draft-07 spelled https without #', 'https://json-schema.org/draft-07/schema'],
    ['2019-09', DRAFT_2019],
    ['2020-12', DRAFT_2020],
    ['no $schema', undefined],
  ])('%s: compiles and validates', (_name, $schema) => {
    expect(validators.check(sumSchema($schema), { a: 1, b: 2 })).toEqual({ errors: [] });
    expect(validators.check(sumSchema($schema), { a: 1, c: 2 })).toEqual({ errors: ['/b: required property is missing', '/c: property is not allowed'] });
  });

  test('each dialect keeps its own meaning: draft-07 `items` as a list is a tuple, 2020-12 has `prefixItems`', () => {
    const tuple07 = { $schema: DRAFT_07, type: 'array', items: [{ type: 'string' }, { type: 'number' }] };
    expect(validators.check(tuple07, ['x', 1])).toEqual({ errors: [] });
    expect(validators.check(tuple07, [1, 'x'])).toMatchObject({ errors: ['/0: must be string', '/1: must be number'] });
    const tuple2020 = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] };
    expect(validators.check(tuple2020, [1, 'x'])).toMatchObject({ errors: ['/0: must be string', '/1: must be number'] });
    const dependent2019 = { $schema: DRAFT_2019, type: 'object', dependentRequired: { card: ['cvv'] } };
    expect(validators.check(dependent2019, { card: '1' })).toMatchObject({ errors: [expect.stringContaining('cvv')] });
  });

  test('a served schema without $schema written draft-07 style still works (read as draft-07 when 2020-12 refuses it)', () => {
    const old = { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'string' }] } } };
    expect(validators.check(old, { pair: ['a', 'b'] })).toEqual({ errors: [] });
    expect(validators.check(old, { pair: ['a', 2] })).toEqual({ errors: ['/pair/1: must be string'] });
  });

  test('a served schema with an unknown keyword or format is read as JSON Schema says (ignored)', () => {
    const served = { $schema: DRAFT_07, type: 'object', 'x-widget': 'slider', properties: { when: { type: 'string', format: 'vendor-date' } } };
    expect(validators.check(served, { when: 'tomorrow' })).toEqual({ errors: [] });
  });

  test('a schema that truly does not compile is reported, not thrown', () => {
    expect(validators.check({ type: 'objekt' }, {})).toMatchObject({ schemaError: expect.stringContaining('schema is invalid') });
    expect(validators.check({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }, {})).toEqual({
      schemaError: '`$schema` "http://json-schema.org/draft-04/schema#" is not a JSON Schema dialect sop reads; expected draft-07, 2019-09 or 2020-12 (the default without `$schema`)',
    });
    expect(validators.check({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }, {})).toMatchObject({ schemaError: expect.stringContaining("can't resolve reference") });
  });

  test('recursive schemas ($ref: "#") validate at run time as they do at sop validate', () => {
    const tree = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } } };
    expect(validators.validate('Tree', tree, { name: 'root', children: [{ name: 'leaf', children: [] }] })).toEqual([]);
    expect(validators.validate('Tree', tree, { name: 'root', children: [{ children: [] }] })).toEqual(['/children/0/name: required property is missing']);
  });

  test('two different schemas with the same $id do not clash', () => {
    const schema = (required: string) => ({ $id: 'https://example.com/shared.json', type: 'object', required: [required] });
    expect(validators.validate('A', schema('a'), {})).toEqual(['/a: required property is missing']);
    expect(validators.validate('B', schema('b'), {})).toEqual(['/b: required property is missing']);
  });
});

describe('sop validate reads payload schemas in the same dialects', () => {
  const withSchema = (schema: string) => VALID_SOP.replace('Summary: { description: a summary }', `Summary:\n    schema: ${schema}`);

  test.each([DRAFT_07, DRAFT_2019, DRAFT_2020])('$schema %s is accepted', async ($schema) => {
    const text = withSchema(`{ $schema: "${$schema}", type: object, required: [title], properties: { title: { type: string } } }`);
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('draft-07 meaning is checked: `items` as a list is valid draft-07, and a typo is still refused (strict)', async () => {
    expect(errors(await validateText(withSchema(`{ $schema: "${DRAFT_07}", type: array, items: [{ type: string }] }`)))).toEqual([]);
    const typo = withSchema(`{ $schema: "${DRAFT_07}", type: object, propertees: {} }`);
    expect(errors(await validateText(typo))).toMatchObject([{ code: 'PAYLOAD_SCHEMA_INVALID', pointer: '/messages/Summary/schema/propertees', hint: 'did you mean `properties`?' }]);
  });

  test('a dialect sop does not read is refused at $schema, naming the ones it reads', async () => {
    const text = withSchema('{ $schema: "http://json-schema.org/draft-04/schema#", type: object }');
    expect(errors(await validateText(text))).toMatchObject([
      {
        code: 'PAYLOAD_SCHEMA_INVALID',
        pointer: '/messages/Summary/schema/$schema',
        message: expect.stringContaining('expected draft-07, 2019-09 or 2020-12'),
        ...positionOf(text, '"http://json-schema.org/draft-04'),
      },
    ]);
  });
});

describe('`pattern` runs in RE2 (linear time)', () => {
  const validators = new SchemaValidators();
  const withSchema = (schema: string) => VALID_SOP.replace('Summary: { description: a summary }', `Summary:\n    schema: ${schema}`);

  test('a backtracking pattern checks a 64-character answer at once (JavaScript RegExp: 2^64 steps)', () => {
    const schema = { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } };
    expect(validators.check(schema, { code: `${'a'.repeat(64)}!` })).toEqual({ errors: ['/code: must match pattern "^(a+)+$"'] });
    expect(validators.check(schema, { code: 'aaaa' })).toEqual({ errors: [] });
  });

  test('ECMAScript escapes and patternProperties keep their meaning', () => {
    const schema = { type: 'object', patternProperties: { '^x-\\u0041\\d+$': { type: 'number' } }, additionalProperties: false };
    expect(validators.check(schema, { 'x-A12': 3 })).toEqual({ errors: [] });
    expect(validators.check(schema, { 'x-B12': 3 }).errors).toEqual(['/x-B12: property is not allowed']);
  });

  test('a pattern RE2 cannot read (lookahead, backreference) keeps its ECMAScript meaning, in sop validate and in the check', async () => {
    const schema = { type: 'object', properties: { id: { type: 'string', pattern: '^(?!tmp)(\\w)\\1?x$' } } };
    expect(validators.check(schema, { id: 'aax' })).toEqual({ errors: [] });
    expect(validators.check(schema, { id: 'tmpx' }).errors).toEqual(['/id: must match pattern "^(?!tmp)(\\w)\\1?x$"']);
    expect(errors(await validateText(withSchema('{ type: object, properties: { id: { type: string, pattern: "^(?=x)x+$" } } }')))).toEqual([]);
  });

  test('a pattern only RE2 reads (an inline flag) is RE2\'s; one neither engine reads does not compile', async () => {
    const schema = { type: 'object', properties: { id: { type: 'string', pattern: '(?i)^abc$' } } };
    expect(validators.check(schema, { id: 'ABC' })).toEqual({ errors: [] });
    expect(validators.check(schema, { id: 'abd' }).errors).toEqual(['/id: must match pattern "(?i)^abc$"']);
    const broken = validators.check({ type: 'string', pattern: 'a(b' }, 'ab');
    expect(broken).toEqual({ schemaError: expect.stringMatching(/Invalid regular expression/) });
    expect(errors(await validateText(withSchema('{ type: string, pattern: "a(b" }'))).map((error) => error.message)).toEqual([expect.stringMatching(/Invalid regular expression: \/a\(b\/u/)]);
  });
});

describe('meta-schema checks (validators generated at build time instead of ajv compiling the meta-schemas)', () => {
  const require = createRequire(import.meta.url);
  /** ajv's own check of a schema against its dialect's meta-schema, as before the generated validators. */
  type AjvClass = new (options: object) => { validateSchema(schema: object): boolean; errors?: unknown; compile(schema: object): unknown };
  const ajvOf = (Ajv: AjvClass) => {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    (require('ajv-formats') as { default: (ajv: unknown) => void }).default(ajv);
    return ajv;
  };
  const ajvSays = (Ajv: AjvClass, schema: object): unknown => {
    const ajv = ajvOf(Ajv);
    return ajv.validateSchema(schema) ? [] : ajv.errors;
  };
  const ajvRefuses = (Ajv: AjvClass, schema: object): string => {
    try {
      ajvOf(Ajv).compile(schema);
      return 'compiled';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const broken = { type: 'objekt', properties: { a: { type: 'string', minLength: -1, pattern: 7 } }, required: 'a' };

  test.each([
    ['draft-07', DRAFT_07, 'ajv'],
    ['2019-09', DRAFT_2019, 'ajv/dist/2019.js'],
    ['2020-12', DRAFT_2020, 'ajv/dist/2020.js'],
  ])('%s: the same errors as ajv validateSchema gives, and the same refusal', (_name, $schema, ajvModule) => {
    const Ajv = (require(ajvModule) as { default: AjvClass }).default;
    expect(metaSchemaErrors({ $schema, ...broken })).toEqual(ajvSays(Ajv, broken));
    expect(metaSchemaErrors({ $schema, ...sumSchema(undefined) })).toEqual([]);
    expect(new SchemaValidators().check({ $schema, ...broken }, {})).toEqual({ schemaError: ajvRefuses(Ajv, broken) });
    expect(ajvRefuses(Ajv, broken)).toMatch(/^schema is invalid: .*data\/properties\/a\/minLength must be >= 0/);
  });
});
