import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/**
 * A payload schema that is valid JSON Schema but that no value meets (`minimum: 11, maximum: 10`,
 * `type: integer, enum: [low, high]`): `sop validate` said valid, and the run asked the model three
 * times (each paid) before failing with OUTPUT_INVALID (exit 9).
 */
describe('sop validate: a payload schema no value can meet', () => {
  it('refuses crossed bounds and an enum outside its type at the keyword (exit 3), in a $ref\'d file and inline; the run is refused before any call', async () => {
    const cwd = tempDir('sop-unmeetable-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const schemaFile = path.join(cwd, 'schemas', 'review.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { required: string[]; properties: Record<string, unknown> };
    schema.required.push('risk');
    schema.properties.risk = { type: 'integer', minimum: 11, maximum: 10 };
    writeFileSync(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);

    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain(
      'schemas/review.json:30:18: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for `Review` at schemas/review.json#/properties/risk/minimum: `minimum: 11` is above `maximum: 10`: no value can meet both, so the model can never give one\n' +
        '  expected: `minimum` at most `maximum`\n' +
        '  hint: correct the bounds (swapped? `minimum: 10, maximum: 11`)',
    );
    expect(validated.stdout).not.toMatch(STACK_LINE);
    const run = await sop(['run', 'sop.yaml', 'tidal power', '--json'], { cwd });
    expect(run.code).toBe(3);
    expect(envelopeOf(run).error).toMatchObject({ code: 'PAYLOAD_SCHEMA_INVALID', file: expect.stringContaining('review.json'), line: 30, column: 18 });
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);

    // Written in the SOP itself: an enum none of whose values is of the type beside it, and an empty one.
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(
      sopFile,
      readFileSync(sopFile, 'utf8').replace(
        '      $ref: schemas/review.json\n',
        '      type: object\n      properties:\n        risk: { type: integer, enum: [low, high] }\n        tags: { type: array, items: { enum: [] } }\n',
      ),
    );
    const inline = await sop(['validate', 'sop.yaml'], { cwd });
    expect(inline.code, inline.stdout).toBe(3);
    expect(inline.stdout).toMatch(/sop\.yaml:\d+:\d+: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for `Review` at \/messages\/Review\/schema\/properties\/risk\/enum: no value of `enum` \("low", "high"\) is of `type` `integer`/);
    expect(inline.stdout).toContain('hint: make `type` the values\' type, or list values of type `integer`');
    expect(inline.stdout).toContain('at /messages/Review/schema/properties/tags/items/enum: an empty `enum` allows no value');
  });

  it('refuses integer bounds with no integer between them and a `const` outside its type, at the keyword (exit 3); leaves alone those a value meets', async () => {
    const cwd = tempDir('sop-unmeetable-int-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(
      sopFile,
      readFileSync(sopFile, 'utf8').replace(
        '      $ref: schemas/review.json\n',
        '      type: object\n      properties:\n' +
          '        a: { type: integer, minimum: 1.5, maximum: 1.7 }\n' +
          '        b: { type: integer, exclusiveMinimum: 1, exclusiveMaximum: 2 }\n' +
          '        c: { type: string, const: 3 }\n' +
          '        ok1: { type: integer, minimum: 1.5, maximum: 2 }\n' +
          '        ok2: { type: [number], minimum: 1.5, maximum: 1.7 }\n' +
          '        ok3: { type: [integer, "null"], exclusiveMinimum: 1, exclusiveMaximum: 2 }\n' +
          '        ok4: { type: [string, integer], const: 3 }\n' +
          '        ok5: { not: { type: string, const: 3 } }\n',
      ),
    );
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain(
      'at /messages/Review/schema/properties/a/minimum: no integer lies between `minimum: 1.5` and `maximum: 1.7`, and `type` is `integer`, so the model can never give one\n' +
        '  expected: bounds with an integer between them\n' +
        '  hint: widen the bounds to hold an integer, or make `type` `number`',
    );
    expect(validated.stdout).toContain('at /messages/Review/schema/properties/b/exclusiveMinimum: no integer lies between `exclusiveMinimum: 1` and `exclusiveMaximum: 2`');
    expect(validated.stdout).toContain(
      'at /messages/Review/schema/properties/c/const: `const: 3` is not of `type` `string`, so the model can never give one\n' +
        '  expected: a value of type `string`\n' +
        '  hint: make `type` the value\'s type, or give a `const` of type `string`',
    );
    expect(validated.stdout).not.toMatch(/properties\/ok\d/);
    expect(validated.stdout).toContain('3 errors');
    expect(validated.stdout).not.toMatch(STACK_LINE);
  });

  it('leaves alone bounds a value of another allowed type escapes, bounds that meet, and an unmeetable `not`', async () => {
    const cwd = tempDir('sop-unmeetable-ok-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(
      sopFile,
      readFileSync(sopFile, 'utf8').replace(
        '      $ref: schemas/review.json\n',
        '      type: object\n      properties:\n        a: { type: [string, integer], minimum: 11, maximum: 10 }\n        b: { minLength: 3, maxLength: 1 }\n        c: { type: integer, minimum: 5, maximum: 5 }\n        d: { not: { type: integer, minimum: 2, maximum: 1 } }\n',
      ),
    );
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.stdout).not.toContain('PAYLOAD_SCHEMA_INVALID');
    expect(validated.code, validated.stdout).toBe(0);
  });
});
