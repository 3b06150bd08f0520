import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** The one-role SOP of the eval tests: no model of its own (the offline model answers). */
function project(model?: string): string {
  const cwd = tempDir('sop-provider-');
  const sopFile = path.join(cwd, 'answer.yaml');
  copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), sopFile);
  if (model !== undefined) writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('stop_when:', `settings: { model: ${model} }\nstop_when:`));
  return cwd;
}

describe('--provider sets the provider of bare model names; with none to apply to, it is refused', () => {
  it.each([
    ['no model at all (the offline model)', undefined, [], 'offline'],
    ['--model qualified', undefined, ['--model', 'ollama:llama3.2'], 'ollama:llama3.2'],
    ["the SOP's model qualified", 'openai:gpt-4o-mini', [], 'openai:gpt-4o-mini'],
  ])('%s: USAGE, exit 2, saying why and what to type; nothing runs', { timeout: 30_000 }, async (_name, model, flags, models) => {
    const cwd = project(model);
    const result = await sop(['run', 'answer.yaml', 'an idea', '--provider', 'ollama', ...flags], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error USAGE: --provider ollama applies to no model: it sets the provider of bare model names (gpt-4o, llama3.2), and this run uses none (its models: ${models})`);
    expect(result.stderr).toContain('hint: give the model with it (--provider ollama --model MODEL), or name both in one (--model ollama:MODEL); else drop --provider');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('the same refusal in --json, and for sop prompts', { timeout: 30_000 }, async () => {
    const cwd = project();
    const run = JSON.parse((await sop(['run', 'answer.yaml', 'an idea', '--provider', 'openai', '--json'], { cwd })).stdout) as { exitCode: number; error: { code: string; message: string } };
    expect([run.exitCode, run.error.code, run.error.message]).toEqual([2, 'USAGE', expect.stringContaining('--provider openai applies to no model')]);
    const prompts = await sop(['prompts', 'answer.yaml', 'an idea', '--provider', 'openai'], { cwd });
    expect([prompts.code, prompts.stderr]).toEqual([2, expect.stringContaining('error USAGE: --provider openai applies to no model')]);
  });

  it('sop eval refuses it too when no run or judge model is a bare name, before any case runs', { timeout: 30_000 }, async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n    inputs: { idea: tidal }\n');
    const evaluated = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--provider', 'ollama', '--model', 'offline', '--model', 'ollama:llama3.2'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(2);
    expect(evaluated.stderr).toContain('error USAGE: --provider ollama applies to no model: it sets the provider of bare model names (gpt-4o, llama3.2), and this run uses none (its models: offline, ollama:llama3.2)');
    expect(existsSync(path.join(cwd, '.sop', 'evals'))).toBe(false);
  });

  it.each([
    // A misspelt provider is refused as unknown first, used or not (test/cli/provider-typo-up-front.test.ts).
    ['olama', 'error PROVIDER_UNKNOWN: unknown provider `olama` from --provider; providers: anthropic, offline, ollama, openai', 'hint: did you mean `ollama`? (`--provider ollama`); else drop --provider'],
    ['offline', 'error USAGE: --provider offline applies to no model', 'hint: `--model offline` is the offline model, which takes no provider: drop --provider'],
  ])('--provider %s, which is no provider, is not copied into the commands the hint gives', { timeout: 30_000 }, async (provider, error, hint) => {
    const result = await sop(['run', 'answer.yaml', 'an idea', '--provider', provider], { cwd: project() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(error);
    expect(result.stderr).toContain(`  ${hint}\n`);
    expect(result.stderr).not.toContain(`--model ${provider}:MODEL`);
  });

  it.each([
    ['--model', undefined, ['--model', 'llama3.2']],
    ["the SOP's model", 'llama3.2', []],
  ])('a bare name (%s) takes it: the preview names the model as the run would call it', { timeout: 30_000 }, async (_name, model, flags) => {
    const cwd = project(model);
    const result = await sop(['prompts', 'answer.yaml', 'an idea', '--provider', 'ollama', ...flags], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| model ollama:llama3\.2 ===/);
  });
});
