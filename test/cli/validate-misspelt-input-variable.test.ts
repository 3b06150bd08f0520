import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `{{ audiance }}` in a prompt (an input, misspelt, without `inputs.`) was told the variables of a
 * prompt only: the hint now names the input meant and how to write it.
 */
describe('sop validate: a misspelt input read without `inputs.`', () => {
  it('names the input meant, in a prompt file and in a gate (exit 3)', async () => {
    const cwd = tempDir('sop-misspelt-input-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('settings:\n', 'inputs:\n  idea: { type: string }\n  audience: { type: string, default: engineers }\n\nsettings:\n')
      .replace('          - path: draft.md\n', '          - path: draft.md\n        gates:\n          - { name: for-them, assert: "output.contains(audeince)" }\n'));
    writeFileSync(path.join(cwd, 'prompts', 'write_draft.liquid'), 'Write for {{ audiance }} about {{ message.content }}.\n');
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain('prompts/write_draft.liquid:1:14: error TEMPLATE_VARIABLE_UNKNOWN: unknown variable `audiance` in a prompt\n');
    expect(validated.stdout).toContain('hint: did you mean the input `audience`? Write `inputs.audience`\n');
    expect(validated.stdout).toContain('error EXPRESSION_VARIABLE_UNKNOWN: unknown variable `audeince` in a gate\'s `assert`');
    expect(validated.stdout.match(/did you mean the input `audience`\?/g)).toHaveLength(2);
  });
});
