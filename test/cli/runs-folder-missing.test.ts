import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop runs` and `sop view` read the same runs folder and say the same of one that does not exist (a
 * mistyped --runs-dir): a warning naming it. `sop view` served an empty list without a word.
 */
const MISSING = /^warning: the runs folder (\/\S+\/nope) does not exist: no run was recorded there/m;

/** `sop view ARGS --port 0` until it prints its URL (or exits), then Ctrl-C: its stderr and exit code. */
function viewUntilServing(cwd: string, args: string[]): Promise<{ stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [binPath, 'view', '--port', '0', ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.includes('sop view: http')) child.kill('SIGINT');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ stderr, code })));
}

describe('a --runs-dir that does not exist', () => {
  it('sop runs warns naming the folder (also in --json), exit 0, an empty list', async () => {
    const cwd = tempDir('sop-runs-missing-');
    const text = await sop(['runs', '--runs-dir', 'nope'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(MISSING);
    expect(MISSING.exec(text.stderr)?.[1]).toBe(path.join(cwd, 'nope'));
    const json = await sop(['runs', '--runs-dir', 'nope', '--json'], { cwd });
    const envelope = JSON.parse(json.stdout) as { ok: boolean; result: unknown; warnings: Array<{ message: string }> };
    expect(envelope.ok).toBe(true);
    expect(envelope.result).toEqual({ runs: [] });
    expect(envelope.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining(`the runs folder ${path.join(cwd, 'nope')} does not exist`)]);
  });

  it('sop view warns the same before it serves', async () => {
    const cwd = tempDir('sop-view-missing-');
    const result = await viewUntilServing(cwd, ['--runs-dir', 'nope']);
    expect(result.stderr).toMatch(MISSING);
    expect(MISSING.exec(result.stderr)?.[1]).toBe(path.join(cwd, 'nope'));
    expect(result.stderr).toContain('sop view: http://127.0.0.1:');
    expect(result.code).toBe(0);
  });

  it('sop view given a file is refused as sop runs refuses it, exit 2, nothing served', async () => {
    const cwd = tempDir('sop-view-missing-');
    writeFileSync(path.join(cwd, 'notes.txt'), 'x');
    const result = await viewUntilServing(cwd, ['--runs-dir', 'notes.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --runs-dir notes.txt is a file, not a folder\n  hint: give the folder run records are written to (default .sop/runs)\n');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
