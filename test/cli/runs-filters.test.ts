import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import type { ListedRun } from '../../src/cli/commands/runs.js';

/** `sop runs --status/--sop-name/--since/--limit`: the list of a runs folder narrowed, in the table and with --json. */
afterAll(removeTempDirs);

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');
const ASK = path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml');

let cwd: string;
/** Run ids by what the run did. */
const ids: Record<'completed' | 'roundLimit' | 'awaiting' | 'old', string> = { completed: '', roundLimit: '', awaiting: '', old: '' };

const newRun = (before: Set<string>): string => readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.') && !before.has(name)) as string;
const listedIds = (result: { stdout: string }): string[] => resultOf<{ runs: ListedRun[] }>(result).runs.map((run) => run.id);

beforeAll(async () => {
  cwd = tempDir('sop-runs-filters-');
  const seen = new Set<string>();
  const run = async (args: string[], code: number): Promise<string> => {
    const result = await sop([...args, '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(code);
    const id = newRun(seen);
    seen.add(id);
    return id;
  };
  ids.completed = await run(['run', W1, 'an idea'], 0);
  ids.roundLimit = await run(['run', W1, 'an idea', '--n-round', '2'], 5);
  ids.awaiting = await run(['run', ASK, 'a todo app'], 8);
  // A run from January: its journal's first line says when it started.
  ids.old = '20260101-000000-0a0a0a';
  const runsDir = path.join(cwd, '.sop', 'runs');
  cpSync(path.join(runsDir, ids.completed), path.join(runsDir, ids.old), { recursive: true });
  const journal = path.join(runsDir, ids.old, 'journal.jsonl');
  writeFileSync(journal, readFileSync(journal, 'utf8').replace(/"started":"[^"]+"/, '"started":"2026-01-01T00:00:00.000Z"'));
}, 60_000);

describe('sop runs filters', () => {
  it('--status takes a comma list and repeats; --json gives the same envelope with the runs left, newest first', async () => {
    const listed = await sop(['runs', '--status', 'round_limit,awaiting_approval', '--json'], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ command: 'runs', ok: true, exitCode: 0 });
    expect(listedIds(listed)).toEqual([ids.awaiting, ids.roundLimit]);
    // The keys scripts read stay as they were, plus an ended run's durationMs (the library's RunSummary says runId and runDir).
    expect(Object.keys(resultOf<{ runs: ListedRun[] }>(listed).runs[0]!)).toEqual(['id', 'runId', 'sop', 'status', 'rounds', 'exitCode', 'durationMs', 'started', 'dir']);
    const repeated = await sop(['runs', '--status', 'awaiting_approval', '--status', 'completed', '--json'], { cwd });
    expect(listedIds(repeated)).toEqual([ids.awaiting, ids.completed, ids.old]);
    // A trailing comma is no status of its own.
    expect(listedIds(await sop(['runs', '--status', 'completed,', '--json'], { cwd }))).toEqual([ids.completed, ids.old]);
  });

  it('--sop-name keeps the runs of that SOP, in the table too', async () => {
    const table = await sop(['runs', '--sop-name', 'ask'], { cwd });
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ID +SOP +STATUS +STARTED +ROUNDS +EXIT +DURATION$/);
    expect(lines[1]).toMatch(new RegExp(`^${ids.awaiting} +ask +awaiting_approval +\\S+ +0 +8 +(\\d{1,3}ms|\\d+\\.\\ds)$`));
  });

  it('--since takes a duration or a UTC date or time', async () => {
    const recent = [ids.awaiting, ids.roundLimit, ids.completed];
    expect(listedIds(await sop(['runs', '--since', '2h', '--json'], { cwd }))).toEqual(recent);
    expect(listedIds(await sop(['runs', '--since', '30d', '--json'], { cwd }))).toEqual(recent);
    expect(listedIds(await sop(['runs', '--since', '2026-06-01', '--json'], { cwd }))).toEqual(recent);
    expect(listedIds(await sop(['runs', '--since', '2025-12-31T23:00:00Z', '--json'], { cwd }))).toEqual([...recent, ids.old]);
  });

  it('--limit N keeps the newest N of the runs the other filters left', async () => {
    expect(listedIds(await sop(['runs', '--limit', '2', '--json'], { cwd }))).toEqual([ids.awaiting, ids.roundLimit]);
    expect(listedIds(await sop(['runs', '--sop-name', 'bench-w1', '--limit', '1', '--json'], { cwd }))).toEqual([ids.roundLimit]);
    const table = await sop(['runs', '--status', 'completed', '--limit', '1'], { cwd });
    expect(table.stdout.trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(new RegExp(`^${ids.completed} +bench-w1 +completed `))]);
  });

  it('says when no run matches (exit 0)', async () => {
    const none = await sop(['runs', '--sop-name', 'nope', '--since', '1h'], { cwd });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain(`none of the 4 runs in ${path.join('.sop', 'runs')} match --sop-name nope, --since 1h`);
    expect(listedIds(await sop(['runs', '--status', 'failed', '--json'], { cwd }))).toEqual([]);
  });

  it.each([
    [['--status', 'done'], '--status: unknown status "done": expected one of completed, stalled, round_limit, budget_exhausted, gate_stopped, awaiting_approval, failed, interrupted, running, crashed, newer, unreadable'],
    [['--status', ','], '--status: no status given: expected one of completed,'],
    [['--since', 'yesterday'], '--since: cannot read "yesterday": expected a duration back from now (a number and s, m, h, d or w: 30m, 2h, 3d, 1w) or a UTC date or time (2026-12-01, 2026-12-01T09:30:00Z)'],
    [['--since', '2026-02-30'], '--since: cannot read "2026-02-30"'],
    [['--since', '2026-12-01T10:00'], '--since: cannot read "2026-12-01T10:00"'],
    [['--limit', '0'], '--limit: must be at least 1, got `0`'],
    [['--limit', 'ten'], '--limit: must be a whole number, got `ten`'],
    [['--sop', 'x', '--status', 'completed'], '--status filters the list of the runs in --runs-dir; --sop RUN prints one run\'s SOP text instead of a list'],
  ])('sop runs %j: a usage error naming the flag and what it takes (exit 2), in --json too', async (args, message) => {
    const result = await sop(['runs', ...args], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: ${message}`);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const json = await sop(['runs', ...args, '--json'], { cwd });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining(message) } });
  });

  it.each([
    ['complete', 'completed'],
    ['gate-stopped', 'gate_stopped'],
  ])('sop runs --status %s: did you mean `%s`?', async (given, meant) => {
    const result = await sop(['runs', '--status', given], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: --status: unknown status "${given}"`);
    expect(result.stderr).toContain(`hint: did you mean \`${meant}\`?`);
  });

  // A status named as other tools name it was told the list only.
  it.each([
    ['paused', 'awaiting_approval'],
    ['killed', 'crashed'],
    ['done', 'completed'],
    ['Cancelled', 'interrupted'],
  ])('sop runs --status %s: the status it is called here, `%s`', async (given, meant) => {
    const result = await sop(['runs', '--status', given], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: --status: unknown status "${given}"`);
    expect(result.stderr).toContain(`hint: such a run's status is ${meant}: --status ${meant}\n`);
  });
});
