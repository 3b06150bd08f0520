import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval` records each case's run in the runs folder, as an ordinary run: `sop runs` listed them
 * like the user's own, with nothing to tell them apart. They are marked with their eval and case (the
 * EVAL and CASE columns, `eval` in --json), and `--started-by run|eval` and `--eval ID` narrow the list.
 */

interface Listed {
  runId: string;
  eval?: { id: string; case: string; model: string; repeat: number };
}

const CASES = 'apiVersion: sop-eval/v1\ncases:\n  - name: tidal\n    inputs: { idea: tidal power }\n  - name: wind farms\n    inputs: { idea: wind }\n';

async function listed(cwd: string, flags: string[] = []): Promise<Listed[]> {
  const result = await sop(['runs', '--json', ...flags], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { result: { runs: Listed[] } }).result.runs;
}

describe('sop runs tells the runs sop eval started from the user\'s own', () => {
  it('marks each with its eval and case, in the table and in --json, and filters by them', { timeout: 120_000 }, async () => {
    const cwd = tempDir('sop-runs-eval-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'cases.yaml'), CASES);
    const own = await sop(['run', 'sop.yaml', 'solar', '--quiet'], { cwd });
    expect(own.code, own.stderr).toBe(0);
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--repeat', '2', '--quiet'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const [evalId] = readdirSync(path.join(cwd, '.sop', 'evals'));
    // `sop test` runs each case in a temporary folder, never in .sop/runs: nothing of it is listed.
    expect((await sop(['test'], { cwd })).code).toBe(0);

    const all = await listed(cwd);
    expect(all).toHaveLength(5);
    const mine = all.filter((run) => run.eval === undefined);
    expect(mine).toHaveLength(1);
    expect(all.filter((run) => run.eval !== undefined).map((run) => run.eval).sort((a, b) => `${a?.case}${a?.repeat}`.localeCompare(`${b?.case}${b?.repeat}`))).toEqual([
      { id: evalId, case: 'tidal', model: 'offline', repeat: 1 },
      { id: evalId, case: 'tidal', model: 'offline', repeat: 2 },
      { id: evalId, case: 'wind farms', model: 'offline', repeat: 1 },
      { id: evalId, case: 'wind farms', model: 'offline', repeat: 2 },
    ]);

    const table = await sop(['runs'], { cwd });
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +SOP +STATUS +STARTED +ROUNDS +EXIT +DURATION +EVAL +CASE$/);
    expect(rows.find((row) => row.startsWith(mine[0]?.runId as string))).toMatch(/ - +-$/);
    expect(rows.filter((row) => row.includes(` ${evalId as string}  `))).toHaveLength(4);
    expect(rows.some((row) => row.endsWith(` ${evalId as string}  wind farms (offline, #2)`))).toBe(true);
    expect(rows.some((row) => row.endsWith(` ${evalId as string}  tidal (offline)`))).toBe(true);

    // The user's own runs alone: the table as it was, without the eval's columns.
    const hand = await sop(['runs', '--started-by', 'run'], { cwd });
    expect(hand.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(hand.stdout).not.toContain('EVAL');
    expect((await listed(cwd, ['--started-by', 'eval'])).map((run) => run.eval?.id)).toEqual([evalId, evalId, evalId, evalId]);
    expect(await listed(cwd, ['--eval', (evalId as string).slice(0, 10), '--limit', '1'])).toHaveLength(1);
    const none = await sop(['runs', '--eval', 'nope'], { cwd });
    expect([none.code, none.stderr]).toEqual([0, 'none of the 5 runs in .sop/runs match --eval nope\n']);
  });

  it('finds an eval recorded under --evals-dir without being told; a run given a workspace in an eval record by hand is not the eval\'s', { timeout: 120_000 }, async () => {
    const cwd = tempDir('sop-runs-eval-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'cases.yaml'), CASES);
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--evals-dir', 'records', '--quiet'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const [evalId] = readdirSync(path.join(cwd, 'records'));
    const planted = await sop(['run', 'sop.yaml', 'solar', '--quiet', '--workspace', path.join('records', evalId as string, 'workspaces', 'mine')], { cwd });
    expect(planted.code, planted.stderr).toBe(0);
    const all = await listed(cwd);
    expect(all.map((run) => run.eval?.case ?? '-').sort()).toEqual(['-', 'tidal', 'wind farms']);
  });

  it('--started-by and --eval take no --queue (the queue does not record who submitted a run), refused before Redis is reached', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-runs-eval-');
    for (const flags of [['--started-by', 'eval'], ['--eval', '2026']]) {
      const result = await sop(['runs', ...flags, '--queue', 'redis://127.0.0.1:1'], { cwd });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^error USAGE: ${flags[0]} cannot be used with --queue: the queue does not record which`));
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
    const bad = await sop(['runs', '--started-by', 'test'], { cwd });
    expect(bad.code, bad.stderr).toBe(2);
  });
});
