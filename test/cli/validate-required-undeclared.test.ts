import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A payload schema whose `required` names a field its `properties` lack, beside
 * `additionalProperties: false` (`required: [scroe]` for `score`): valid JSON Schema that no answer
 * can pass. `sop validate` said valid; the run asked the model three times and failed (exit 9).
 */
describe('sop validate: a required field a closed object does not declare', () => {
  it('is refused at the `required` entry, with did-you-mean (exit 3), in a $ref\'d file and inline', async () => {
    const cwd = tempDir('sop-required-undeclared-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const schemaFile = path.join(cwd, 'schemas', 'review.json');
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('"summary",\n', '"sumary",\n'));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain("schemas/review.json:8:5: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for `Review` at schemas/review.json#/required/1: `sumary` is required, but `properties` does not declare it and `additionalProperties: false` refuses any field it does not declare: no answer can pass\n  expected: a field declared under `properties`: approved, issues, summary\n  hint: did you mean `summary`?");
    expect(validated.stdout).not.toMatch(STACK_LINE);
    expect((await sop(['run', 'sop.yaml', 'tidal power'], { cwd })).code).toBe(3);

    // Written in the SOP itself, nested in a list's items.
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('      $ref: schemas/review.json\n', '      type: object\n      properties:\n        notes: { type: array, items: { type: object, additionalProperties: false, required: [txt], properties: { text: { type: string } } } }\n'));
    const inline = await sop(['validate', 'sop.yaml'], { cwd });
    expect(inline.code, inline.stdout).toBe(3);
    expect(inline.stdout).toMatch(/sop\.yaml:\d+:\d+: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for `Review` at \/messages\/Review\/schema\/properties\/notes\/items\/required\/0: `txt` is required/);
    expect(inline.stdout).toContain('hint: did you mean `text`?');
  });
});
