import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A model named twice (`--model offline --model offline`, or twice in the dataset's `models`) ran
 * every case twice under one label: two identical columns and summary rows, each run counted in
 * both ("4 of 8 runs failed" of an eval of 4 runs). It is refused before any run.
 */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const CASES = 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n';

function project(cases: string): string {
  const dir = tempDir('sop-eval-twice-');
  writeFileSync(path.join(dir, 'cases.yaml'), cases);
  return dir;
}

const run = (args: string[], cwd: string): ReturnType<typeof sop> => sop(args, { cwd, env: { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg') } });

describe('sop eval: a model given twice', () => {
  it('--model twice is a usage error (exit 2) naming it; no eval record is made', async () => {
    const dir = project(CASES);
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'offline', '--model', 'offline'], dir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error USAGE: --model offline is given twice\n');
    expect(result.stderr).toContain('hint: give each model once; --repeat N runs every case N times on each');
    expect(existsSync(path.join(dir, '.sop'))).toBe(false);
    expect(envelopeOf<any>(await run(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'offline', '--model', 'offline', '--json'], dir))).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'USAGE' },
    });
  });

  it('the dataset\'s models listing one twice is an invalid dataset at the list (exit 2), naming the model and both places', async () => {
    const dir = project(CASES.replace('cases:', 'models: [offline, openai:gpt-4o-mini, offline]\ncases:'));
    const result = await run(['eval', SOP, '--dataset', 'cases.yaml'], dir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('cases.yaml:2:9: error SCHEMA_VIOLATION: lists `offline` twice (items 0 and 2)\n');
    expect(envelopeOf<any>(await run(['eval', SOP, '--dataset', 'cases.yaml', '--json'], dir))).toMatchObject({ exitCode: 2, error: { code: 'DATASET_INVALID', line: 2, column: 9 } });
  });
});
