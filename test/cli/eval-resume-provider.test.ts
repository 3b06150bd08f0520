import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * An eval started with `--provider ollama --model llama3.2` keeps its provider: `sop eval --resume
 * ID`, the command its provider failure prints, resolved `llama3.2` again without it and was refused
 * (PROVIDER_UNKNOWN), and `--provider` given again was taken, another one included, where `--model`
 * is refused. Ollama is a closed local port here, asked once: the runs fail on the provider.
 */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe('sop eval --resume: the provider an eval started with', () => {
  it('is used again by --resume alone; --provider given again is refused as --model is', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-eval-provider-');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    writeFileSync(path.join(cwd, 'sop.config.yaml'), 'providers:\n  ollama: { max_retries: 0 }\n');
    const env = { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), OLLAMA_HOST: 'http://127.0.0.1:9' };
    const started = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--provider', 'ollama', '--model', 'llama3.2', '--quiet'], { cwd, env });
    expect(started.code, started.stderr).toBe(10);
    const [evalId] = readdirSync(path.join(cwd, '.sop', 'evals'));
    expect(started.stderr).toContain(`eval --resume ${evalId as string}\` runs it again`);

    const resumed = await sop(['eval', '--resume', evalId as string, '--quiet'], { cwd, env });
    expect(resumed.stderr).not.toContain('PROVIDER_UNKNOWN');
    expect(resumed.code, resumed.stderr).toBe(10);
    expect(resumed.stdout).toContain('PROVIDER_UNAVAILABLE: role answerer, action answer: cannot reach http://127.0.0.1:9');

    const changed = await sop(['eval', '--resume', evalId as string, '--provider', 'openai'], { cwd, env });
    expect(changed.code, changed.stderr).toBe(2);
    expect(changed.stderr).toContain('error USAGE: --provider is fixed when the eval started: --resume continues it as it was');
    expect(changed.stderr).not.toMatch(STACK_LINE);
  });
});
