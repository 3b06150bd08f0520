import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop runs --limit N` reads how a run stands (its lock, journal end, report.json) only of the newest
 * N runs it lists: with thousands of runs it read every one first and took seconds. Shown here by an
 * older run whose report.json never gives its bytes (a named pipe): reading it would wait forever.
 * (How long a listing takes is measured by `node bench/runs-listing.mjs`, never asserted.)
 */
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

describe('sop runs --limit', () => {
  it('lists the newest N without reading the older runs', async () => {
    const cwd = tempDir('sop-runs-limit-');
    const runsDir = path.join(cwd, '.sop', 'runs');
    // Older and newer by the order they ran: ids of one second are ordered by their random suffix.
    const made: string[] = [];
    for (const idea of ['owls', 'bats']) {
      const run = await sop(['run', W1, idea, '--n-round', '1'], { cwd });
      expect(run.code, run.stderr).toBe(5);
      made.push(readdirSync(runsDir).find((name) => !made.includes(name)) as string);
    }
    const [older, newer] = made;
    rmSync(path.join(runsDir, older as string, 'report.json'));
    execFileSync('mkfifo', [path.join(runsDir, older as string, 'report.json')]);
    // Synchronous, with a timeout: a listing that reads the older run never returns.
    const listed = spawnSync(process.execPath, [binPath, 'runs', '--limit', '1', '--json'], { cwd, timeout: 20_000, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(listed.signal, 'sop runs --limit 1 read the older run (and waited on its report.json)').toBeNull();
    expect(listed.status, listed.stderr).toBe(0);
    const { result } = JSON.parse(listed.stdout) as { result: { runs: Array<{ id: string; status: string; rounds: number; exitCode: number }> } };
    expect(result.runs).toEqual([expect.objectContaining({ id: newer, status: 'round_limit', rounds: 1, exitCode: 5 })]);
  }, 60_000);
});
