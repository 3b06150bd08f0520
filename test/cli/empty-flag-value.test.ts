import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A flag given an empty value, as `--workspace "$WS"` gives it in a CI job where WS is unset: the run
 * took the current folder as its workspace and wrote the team's files over the checkout;
 * `--runs-dir ""` put run folders there; `--junit ""` was an internal error (exit 1).
 */
const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'slow-gate', 'sop.yaml');

function project(): string {
  const dir = tempDir('sop-empty-flag-');
  copyFileSync(FIXTURE, path.join(dir, 'sop.yaml'));
  return dir;
}

describe('a flag given an empty value', () => {
  it('--workspace "": refused (exit 2) before any work, nothing written to the current folder', async () => {
    const cwd = project();
    const result = await sop(['run', 'sop.yaml', 'hi', '--workspace', ''], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --workspace was given an empty value\n  hint: give --workspace a value, or leave the flag out (an unset variable, --workspace "$VAR", gives an empty one); see `sop run --help`\n');
    expect(readdirSync(cwd)).toEqual(['sop.yaml']);
  });

  it('--runs-dir "" and --junit "": the same refusal, in --json too; never an internal error', async () => {
    const cwd = project();
    const runs = await sop(['runs', '--runs-dir', '', '--json'], { cwd });
    expect(runs.code).toBe(2);
    expect(JSON.parse(runs.stdout)).toMatchObject({ command: 'runs', ok: false, exitCode: 2, error: { code: 'USAGE', message: '--runs-dir was given an empty value' } });
    for (const junit of ['', ' ']) {
      const run = await sop(['run', 'sop.yaml', 'hi', '--junit', junit], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error USAGE: --junit was given an empty value\n');
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
    expect(readdirSync(cwd)).toEqual(['sop.yaml']);
  });
});
