import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A typo in the model an eval dataset names (`judge_model: strnog` for the alias `strong`) was refused
 * as "cannot tell which provider serves model `strnog` from --model": no file, no line, a flag the
 * user never passed, and no word of the alias meant. Now it points at the value, and suggests the name.
 */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const CASE = '  - { name: first, inputs: { idea: spring }, judge: [{ rubric: clear, of: Answer }] }\n';

function project(files: Record<string, string>): string {
  const dir = tempDir('sop-eval-model-');
  writeFileSync(path.join(dir, 'sop.config.yaml'), 'models:\n  strong: openai:gpt-4o\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const run = (args: string[], cwd: string): ReturnType<typeof sop> => sop(args, { cwd, env: { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), OPENAI_API_KEY: undefined } });

describe('sop eval: a model typo in the dataset', () => {
  it('judge_model naming no model is refused at its value (file:line:col), with the alias it is close to', async () => {
    const dir = project({ 'cases.yaml': `apiVersion: sop-eval/v1\njudge_model: strnog\ncases:\n${CASE}` });
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('cases.yaml:2:14: error PROVIDER_UNKNOWN: cannot tell which provider serves model `strnog` (`judge_model`)\n');
    expect(result.stderr).toContain('  expected: a model: offline, strong (aliases from sop.config.yaml `models`), or provider:model (e.g. openai:gpt-4o-mini)\n');
    expect(result.stderr).toContain('  hint: did you mean `strong`?\n');
    expect(result.stderr).toContain('> 2 | judge_model: strnog');
    expect(result.stderr).not.toContain('--model');
    expect(envelopeOf<any>(await run(['eval', SOP, '--dataset', 'cases.yaml', '--json'], dir))).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'PROVIDER_UNKNOWN', diagnostics: [{ file: 'cases.yaml', line: 2, column: 14, pointer: '/judge_model' }] },
    });
  });

  it('a provider typo keeps its own suggestion; a models entry of a --defaults file is located in that file', async () => {
    const judged = project({ 'cases.yaml': `apiVersion: sop-eval/v1\njudge_model: opnai:gpt-4o-mini\ncases:\n${CASE}` });
    const provider = await run(['eval', SOP, '--dataset', 'cases.yaml'], judged);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('cases.yaml:2:14: error PROVIDER_UNKNOWN: unknown provider `opnai` for model `opnai:gpt-4o-mini` (`judge_model`)');
    expect(provider.stderr).toContain('  hint: did you mean `openai`?\n');

    const rows = project({ 'cases.jsonl': '{"name": "first", "inputs": {"idea": "spring"}}\n', 'defaults.yaml': 'apiVersion: sop-eval/v1\nmodels: [offline, ofline]\n' });
    const listed = await run(['eval', SOP, '--dataset', 'cases.jsonl', '--defaults', 'defaults.yaml'], rows);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('defaults.yaml:2:19: error PROVIDER_UNKNOWN: cannot tell which provider serves model `ofline` (`models[1]`)\n');
    expect(listed.stderr).toContain('  hint: did you mean `offline`?\n');
  });

  it('--judge-model replaces the field: its typo is not read', async () => {
    const dir = project({ 'cases.yaml': `apiVersion: sop-eval/v1\njudge_model: strnog\ncases:\n${CASE}` });
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml', '--judge-model', 'offline'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toContain('strnog');
  });
});

describe('sop eval: a model typo in --judge-model', () => {
  it('is refused naming --judge-model, not --model (a flag not given), with the alias or provider it is close to', async () => {
    const dir = project({ 'cases.yaml': `apiVersion: sop-eval/v1\ncases:\n${CASE}` });
    const alias = await run(['eval', SOP, '--dataset', 'cases.yaml', '--judge-model', 'strnog'], dir);
    expect(alias.code, alias.stdout + alias.stderr).toBe(2);
    expect(alias.stderr).not.toMatch(STACK_LINE);
    expect(alias.stderr).toBe('error PROVIDER_UNKNOWN: cannot tell which provider serves model `strnog` from --judge-model\n  hint: did you mean `strong`?\n');

    const provider = await run(['eval', SOP, '--dataset', 'cases.yaml', '--judge-model', 'opnai:gpt-4o'], dir);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('error PROVIDER_UNKNOWN: unknown provider `opnai` for model `opnai:gpt-4o` from --judge-model; providers: ');
    expect(provider.stderr).toContain('  hint: did you mean `openai`?\n');
    expect(provider.stderr).not.toContain('--model;');
  });
});

/**
 * A comma-separated list of models (`--model offline,openai:gpt-4o-mini`, as other eval tools take
 * them) was read as one model and refused with "unknown provider `offline,openai`" and a hint to
 * configure a provider of that name. Now the list is named, and the hint says how to write it.
 */
describe('sop eval: a comma-separated list of models', () => {
  it('--model a,b is refused naming both models, with the repeated flags that run them', async () => {
    const dir = project({ 'cases.yaml': `apiVersion: sop-eval/v1\ncases:\n${CASE}` });
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'offline,openai:gpt-4o-mini'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toBe(
      'error PROVIDER_UNKNOWN: model `offline,openai:gpt-4o-mini` from --model lists 2 models (`offline`, `openai:gpt-4o-mini`): a model reference names one\n' +
        '  hint: give --model one model; `sop eval` runs several, one flag each: --model offline --model openai:gpt-4o-mini\n',
    );
    const judge = await run(['eval', SOP, '--dataset', 'cases.yaml', '--judge-model', 'offline, strong'], dir);
    expect(judge.code).toBe(2);
    expect(judge.stderr).toContain('from --judge-model lists 2 models (`offline`, `strong`): a model reference names one\n  hint: name one of them: `offline`, `strong`\n');
  });

  it('a models entry that lists several is refused at its value, with the list written one model per entry', async () => {
    const dir = project({ 'cases.yaml': `apiVersion: sop-eval/v1\nmodels: [offline, "offline,strong"]\ncases:\n${CASE}` });
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('cases.yaml:2:19: error PROVIDER_UNKNOWN: model `offline,strong` (`models[1]`) lists 2 models (`offline`, `strong`): a model reference names one\n');
    expect(result.stderr).toContain('  hint: one model per entry of the list: models: [offline, strong]\n');
  });
});
