import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A misspelt provider, `--provider opnai` or `SOP_PROVIDER=opnai`, is refused before anything is
 * read or started, with one message and exit 2 on every command that chooses models: it was caught
 * only where a bare model name took it (after the SOP and the dataset were read; on `sop run
 * --queue` after Redis was reached, exit 18), told as "applies to no model" where none did, and a
 * misspelt SOP_PROVIDER was ignored then.
 */

const CLEAN = { SOP_PROVIDER: undefined, SOP_MODEL: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined };
const FLAG_MESSAGE = 'error PROVIDER_UNKNOWN: unknown provider `opnai` from --provider; providers: anthropic, offline, ollama, openai\n  hint: did you mean `openai`? (`--provider openai`); else drop --provider\n';
const ENV_MESSAGE = 'error PROVIDER_UNKNOWN: unknown provider `opnai` from SOP_PROVIDER; providers: anthropic, offline, ollama, openai\n  hint: did you mean `openai`? (`SOP_PROVIDER=openai`); else unset SOP_PROVIDER\n';

/** The eval tests' one-role SOP (`model`: its own model, bare or not) and a one-case dataset. */
function project(model?: string): string {
  const cwd = tempDir('sop-provider-typo-');
  const sopFile = path.join(cwd, 'answer.yaml');
  copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), sopFile);
  if (model !== undefined) writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('stop_when:', `settings: { model: ${model} }\nstop_when:`));
  writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n    inputs: { idea: tidal }\n');
  return cwd;
}

const COMMANDS: Array<[string, string[]]> = [
  ['run', ['run', 'answer.yaml', 'an idea']],
  ['prompts', ['prompts', 'answer.yaml', 'an idea']],
  ['run --dry-run', ['run', 'answer.yaml', 'an idea', '--dry-run']],
  ['eval', ['eval', 'answer.yaml', '--dataset', 'cases.yaml']],
  ['lock', ['lock', 'answer.yaml']],
  // Refused before Redis is reached (nothing listens on port 1): it said QUEUE_UNREACHABLE, exit 18.
  ['run --queue', ['run', 'answer.yaml', 'an idea', '--queue', 'redis://127.0.0.1:1']],
  ['eval --queue', ['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--queue', 'redis://127.0.0.1:1']],
];

describe('a misspelt provider is refused up front, in the same words, on every command that chooses models', () => {
  it.each(COMMANDS)('sop %s: --provider opnai, SOP_PROVIDER=opnai and --model opnai:gpt-4o, with a bare model name in the SOP or none', { timeout: 60_000 }, async (_name, args) => {
    for (const model of [undefined, 'gpt-4o']) {
      const cwd = project(model);
      const flagged = await sop([...args, '--provider', 'opnai'], { cwd, env: CLEAN });
      expect(flagged.code, flagged.stderr).toBe(2);
      expect(flagged.stderr).toBe(FLAG_MESSAGE);
      const fromEnv = await sop(args, { cwd, env: { ...CLEAN, SOP_PROVIDER: 'opnai' } });
      expect(fromEnv.code, fromEnv.stderr).toBe(2);
      expect(fromEnv.stderr).toBe(ENV_MESSAGE);
      // A model naming it (`--model opnai:gpt-4o`): the same list and did-you-mean, of that model.
      const modelled = await sop([...args, '--model', 'opnai:gpt-4o'], { cwd, env: CLEAN });
      expect(modelled.code, modelled.stderr).toBe(2);
      expect(modelled.stderr).toBe('error PROVIDER_UNKNOWN: unknown provider `opnai` for model `opnai:gpt-4o` from --model; providers: anthropic, offline, ollama, openai\n  hint: did you mean `openai`?\n');
      // Nothing was started: no run, eval record or lock.
      expect(readdirSync(cwd).sort()).toEqual(['answer.yaml', 'cases.yaml']);
    }
  });

  it('--json gives the same error', { timeout: 30_000 }, async () => {
    const result = await sop(['run', 'answer.yaml', 'an idea', '--provider', 'opnai', '--json'], { cwd: project(), env: CLEAN });
    const envelope = JSON.parse(result.stdout) as { exitCode: number; error: { code: string; message: string; hint: string } };
    expect(envelope.exitCode).toBe(2);
    expect(envelope.error).toMatchObject({ code: 'PROVIDER_UNKNOWN', message: 'unknown provider `opnai` from --provider; providers: anthropic, offline, ollama, openai', hint: 'did you mean `openai`? (`--provider openai`); else drop --provider' });
  });

  it('sop resume: a misspelt SOP_PROVIDER is refused before the run goes on', { timeout: 60_000 }, async () => {
    const cwd = project();
    const first = await sop(['run', path.join(repoRoot, 'sops', 'software-company.yaml'), 'a todo app', '--n-round', '1'], { cwd, env: CLEAN });
    expect(first.code, first.stderr).toBe(5);
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
    const journal = path.join(cwd, '.sop', 'runs', runId as string, 'journal.jsonl');
    const before = readFileSync(journal, 'utf8');
    const resumed = await sop(['resume', runId as string], { cwd, env: { ...CLEAN, SOP_PROVIDER: 'opnai' } });
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(resumed.stderr).toBe(ENV_MESSAGE);
    expect(readFileSync(journal, 'utf8')).toBe(before);
  });

  it('sop worker: a misspelt SOP_PROVIDER is refused when it starts, before Redis is reached (each run it took failed with it)', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-provider-typo-');
    const result = await sop(['worker', '--redis', 'redis://127.0.0.1:1'], { cwd, env: { ...CLEAN, SOP_PROVIDER: 'opnai' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(ENV_MESSAGE);
    expect(result.stderr).not.toMatch(STACK_LINE);
    // Its configuration file too, as `sop run` refuses it (exit 11, at the line).
    writeFileSync(path.join(cwd, 'sop.config.yaml'), 'default_provider: opnai\n');
    const configured = await sop(['worker', '--redis', 'redis://127.0.0.1:1'], { cwd, env: CLEAN });
    expect(configured.code, configured.stderr).toBe(11);
    expect(configured.stderr).toContain('sop.config.yaml:1:19: error CONFIG_INVALID: default_provider `opnai` is not a provider\n');
  });

  it('a provider far from every name gets the list and how to configure one; sop report and sop runs still work with it set', { timeout: 30_000 }, async () => {
    const cwd = project();
    const result = await sop(['run', 'answer.yaml', 'an idea', '--provider', 'zzzz'], { cwd, env: CLEAN });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe('error PROVIDER_UNKNOWN: unknown provider `zzzz` from --provider; providers: anthropic, offline, ollama, openai\n  hint: name one of them (`--provider NAME`), configure `zzzz` under `providers:` in sop.config.yaml, or drop --provider\n');
    expect((await sop(['run', 'answer.yaml', 'an idea'], { cwd, env: CLEAN })).code).toBe(0);
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
    // Commands that choose no model do not refuse it.
    for (const args of [['report', runId as string], ['runs']]) {
      const other = await sop(args, { cwd, env: { ...CLEAN, SOP_PROVIDER: 'opnai' } });
      expect(other.code, `${args.join(' ')}: ${other.stderr}`).toBe(0);
    }
    expect(existsSync(path.join(cwd, '.sop', 'evals'))).toBe(false);
  });
});
