import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `output` in a gate is the output's text: `assert: output.length > 100` (as JavaScript writes it)
 * was valid for `sop validate`, and the run failed when the gate was checked (EXPRESSION_EVAL, exit 9,
 * "No such key: length"). It is refused up front now, at the field, with the CEL to write.
 */
describe('a gate reading a field of `output`, the text', () => {
  it('sop validate refuses it at the field (exit 3); `size(output)` validates and the run passes the gate', async () => {
    const cwd = tempDir('sop-output-field-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    const original = readFileSync(sopFile, 'utf8');
    const gated = (assert: string): string => original.replace('          - path: draft.md\n', `          - path: draft.md\n        gates:\n          - { name: long-enough, assert: "${assert}" }\n`);
    writeFileSync(sopFile, gated('output.length > 100'));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain("sop.yaml:43:43: error EXPRESSION_VARIABLE_UNKNOWN: `output` is the output's text, a string with no fields: `output.length` fails when checked (`output.length > 100`)");
    expect(validated.stdout).toContain('hint: its length is `size(output)`');
    const run = await sop(['run', 'sop.yaml', 'tidal power'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(STACK_LINE);

    writeFileSync(sopFile, gated('size(output) > 100'));
    expect((await sop(['validate', 'sop.yaml'], { cwd })).code).toBe(0);
    const fixed = await sop(['run', 'sop.yaml', 'tidal power'], { cwd });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('gates: write_draft/long-enough 1/1 passed');
  });
});
