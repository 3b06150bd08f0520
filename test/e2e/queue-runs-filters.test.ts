import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE } from '../cli/run-cli.js';
import { redisProgram, type RedisServer } from '../support/services/redis-server.js';
import { JSON_TEAM_SOP, MODEL, queueTestServices, until } from './queue-helpers.js';

/**
 * `sop runs --queue URL` takes the filters `sop runs` has for local runs (--status, --sop-name,
 * --since, --limit, --json), on a real redis-server with runs a real worker ran: a queued run's
 * status is how it ended, else its job's state (waiting, active, ...).
 */
let redis: RedisServer;
let cwd: string;
const { start, sopIn } = queueTestServices();
/** Run ids by how they ended up: completed, round_limit (json-team), waiting (other-team, no worker). */
const ids: Record<'completed' | 'roundLimit' | 'waiting', string> = { completed: '', roundLimit: '', waiting: '' };

const runIdOf = (output: string): string => /queued run (\S+) on/.exec(output)?.[1] ?? /\d{8}-\d{6}-[0-9a-f]{6}/.exec(output)?.[0] ?? '';

async function runs(args: string[]): Promise<{ code: number | null; stdout: string; output: string }> {
  const listed = sopIn(cwd, ['runs', '--queue', redis.url, ...args]);
  const { code } = await listed.exited;
  return { code, stdout: listed.stdout(), output: listed.output() };
}

const listedIds = (stdout: string): string[] => [...stdout.matchAll(/^(\d{8}-\d{6}-[0-9a-f]{6}) /gm)].map((match) => match[1] as string);

describe.skipIf(redisProgram.missing)(`sop runs --queue filters${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    let project: string;
    ({ redis, project } = await start('sop-queue-runs-filters-', { maxRequests: 200 }));
    cwd = path.join(project, 'submitter');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
    writeFileSync(path.join(cwd, 'other.yaml'), JSON_TEAM_SOP.replace('name: json-team', 'name: other-team'));
    const dir = path.join(project, 'worker');
    mkdirSync(dir);
    const worker = sopIn(dir, ['worker', '--redis', redis.url, '--no-cache']);
    await until(() => worker.output().includes('worker ready'), () => worker.output());
    const done = sopIn(cwd, ['run', 'team.yaml', 'done', ...MODEL, '--queue', redis.url, '--ci']);
    expect((await done.exited).code, done.output()).toBe(0);
    ids.completed = runIdOf(done.output());
    const cut = sopIn(cwd, ['run', 'team.yaml', 'cut short', ...MODEL, '--n-round', '1', '--queue', redis.url, '--ci']);
    expect((await cut.exited).code, cut.output()).toBe(5);
    ids.roundLimit = runIdOf(cut.output());
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code, worker.output()).toBe(0);
    // No worker now: this one waits.
    const waiting = sopIn(cwd, ['run', 'other.yaml', 'waits', ...MODEL, '--queue', redis.url, '--detach']);
    expect((await waiting.exited).code, waiting.output()).toBe(0);
    ids.waiting = runIdOf(waiting.stdout());
    expect(Object.values(ids).every((id) => /^\d{8}-\d{6}-[0-9a-f]{6}$/.test(id)), JSON.stringify(ids)).toBe(true);
  }, 120_000);

  it('--status keeps the runs that ended so, or whose job is in that state; a comma list keeps either', async () => {
    expect(listedIds((await runs(['--status', 'completed'])).stdout)).toEqual([ids.completed]);
    expect(listedIds((await runs(['--status', 'waiting'])).stdout)).toEqual([ids.waiting]);
    const both = await runs(['--status', 'round_limit,waiting', '--json']);
    expect(both.code, both.output).toBe(0);
    const envelope = JSON.parse(both.stdout) as { result: { runs: Array<{ runId: string; state: string; status?: string }>; total: number } };
    expect(envelope.result.runs.map((run) => run.runId)).toEqual([ids.waiting, ids.roundLimit]);
    expect(envelope.result.runs).toEqual([expect.objectContaining({ state: 'waiting' }), expect.objectContaining({ state: 'completed', status: 'round_limit' })]);
    expect(envelope.result.total).toBe(3);
  }, 60_000);

  it('--sop-name, --since and --limit narrow the list as they do locally, and an empty list says which filters left nothing', async () => {
    expect(listedIds((await runs(['--sop-name', 'other-team'])).stdout)).toEqual([ids.waiting]);
    expect(listedIds((await runs(['--sop-name', 'json-team', '--since', '1h'])).stdout)).toEqual([ids.roundLimit, ids.completed]);
    const limited = await runs(['--sop-name', 'json-team', '--limit', '1']);
    expect(listedIds(limited.stdout)).toEqual([ids.roundLimit]);
    expect(limited.output).toContain('listed the newest 1 of its runs that match --sop-name json-team: `--limit N` lists more, if more match');
    const none = await runs(['--since', '2099-01-01', '--status', 'completed']);
    expect(none.code, none.output).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.output).toContain("none of the queue's 3 runs match --status completed, --since 2099-01-01");
  }, 60_000);

  it('a status only local runs have is a usage error (exit 2) that names what a queued run shows instead', async () => {
    const running = await runs(['--status', 'running']);
    expect(running.code, running.output).toBe(2);
    expect(running.output).toContain('error USAGE: --status: "running" is a status of local runs; a queued run not yet ended has its job\'s state: expected one of completed, stalled, round_limit, budget_exhausted, gate_stopped, awaiting_approval, failed, interrupted, waiting, active, delayed, prioritized, waiting-children, gone (with --queue)');
    expect(running.output).toContain('for a queued run, try --status active');
    expect(running.output).not.toMatch(STACK_LINE);
    const typo = await runs(['--status', 'complete', '--json']);
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('unknown status "complete"') } });
  }, 60_000);
});
