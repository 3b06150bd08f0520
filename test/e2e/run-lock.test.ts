import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { envelopeOf, resultOf } from '../support/cli-envelope.js';
import type { FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { project } from './providers-helpers.js';
import { FAN_OUT_CALLS, journalLines, journalRecords, runDirOf, start, startSlowProxy, waitFor, writeSop, fakeFor, gateFor } from './resume-helpers.js';
import { readRunEvents, readRunInfo } from '../../src/store/index.js';

/**
 * One process per run folder, with real processes: `sop resume` beside the still-running `sop run`,
 * and two `sop resume` of one crashed run at once. The refused one exits 13 naming the holder; the
 * provider answers each call once and the record is the one of a single run.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];
const IDEA = 'a todo app';

const chatBodies = (server: FakeOpenAI): string[] =>
  server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body));

const events = (runDir: string): any[] => readRunEvents(runDir);

const REFUSED = (runId: string, command: string, pid: number | undefined): RegExp =>
  new RegExp(`^error RUN_LOCKED: run ${runId} is in use: sop ${command} \\(pid ${pid ?? '\\d+'} on host ${os.hostname()}\\) holds it since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`, 'm');

/** Each call reached the provider once; one run-end; `seq` numbers the journal without gaps or repeats. */
function expectOneRunsRecord(server: FakeOpenAI, runDir: string): void {
  const bodies = chatBodies(server);
  expect(bodies).toHaveLength(FAN_OUT_CALLS);
  expect(new Set(bodies).size).toBe(FAN_OUT_CALLS);
  const lines = journalRecords(runDir);
  expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
  const log = events(runDir);
  expect(log.filter((event) => event.type === 'run-end')).toHaveLength(1);
  expect(existsSync(path.join(runDir, 'run.lock'))).toBe(false);
}

describe.concurrent('run lock', () => {
  it('`sop resume` beside the still-running `sop run` is refused (exit 13, names pid and host); the run completes alone', async (context) => {
    const server = await fakeFor(context);
    const proxy = await gateFor(context, server);
    const cwd = project();
    const running = start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL, '--json'], proxy.url);
    // The run is waiting for its first answer: it holds its folder.
    await waitFor(() => proxy.held() > 0 && runDirOf(cwd) !== undefined, () => `CLI stderr: ${running.stderr() || '(nothing)'}`);
    const runDir = runDirOf(cwd) as string;
    const runId = path.basename(runDir);

    const refused = await start(cwd, ['resume', runId], proxy.url).done;
    expect(refused.code, refused.stderr).toBe(13);
    expect(refused.stderr).toMatch(REFUSED(runId, 'run', running.child.pid));
    expect(refused.stderr).toContain('hint: wait for that process to end');
    // The hint names the file that holds the run, one that exists (was: a run.lock there is not).
    expect(refused.stderr).toContain(`The holder is named by the first line of ${path.join(runDir, 'journal.jsonl')} (the run that created it has no run.lock)`);
    expect(existsSync(path.join(runDir, 'run.lock'))).toBe(false);
    expect(refused.stderr).not.toMatch(STACK_LINE);

    proxy.open();
    const finished = await running.done;
    expect(finished.code, finished.stderr).toBe(0);
    expect(resultOf(finished)).toMatchObject({ status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
    expectOneRunsRecord(server, runDir);
  });

  it('two `sop resume` of a SIGKILLed run at once: the crashed lock is taken over, one resumes, the other is refused (exit 13)', async (context) => {
    const server = await fakeFor(context);
    const slow = await startSlowProxy(server.url, 0);
    context.onTestFinished(() => slow.close());
    const cwd = project();
    slow.answerAtMost = 3;
    const crashed = start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL], slow.url);
    await waitFor(() => journalLines(runDirOf(cwd)) >= 3, () => `CLI stderr: ${crashed.stderr() || '(nothing)'}`);
    crashed.child.kill('SIGKILL');
    await crashed.done;
    const runDir = runDirOf(cwd) as string;
    const runId = path.basename(runDir);
    // The killed process held the run as its creator: its journal's run-info names it (no run.lock).
    expect(readRunInfo(runDir)).toMatchObject({ holder: { pid: crashed.child.pid, host: os.hostname() } });
    expect(existsSync(path.join(runDir, 'run.lock'))).toBe(false);

    // Both resumes wait at the gate for their first new call, so neither can finish before the other starts.
    const proxy = await gateFor(context, server);
    const first = start(cwd, ['resume', runId, '--json'], proxy.url);
    const second = start(cwd, ['resume', runId, '--json'], proxy.url);
    const loser = await Promise.race([first.done.then(() => first), second.done.then(() => second)]);
    const winner = loser === first ? second : first;
    const refused = await loser.done;
    expect(refused.code, refused.stderr).toBe(13);
    expect(refused.stderr).toMatch(REFUSED(runId, `resume ${runId}`, winner.child.pid));
    expect(envelopeOf(refused)).toMatchObject({ ok: false, exitCode: 13, error: { code: 'RUN_LOCKED' } });
    expect(refused.stderr).not.toMatch(STACK_LINE);

    proxy.open();
    const resumed = await winner.done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resultOf(resumed);
    expect(report).toMatchObject({ runId, status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
    expect(JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')).costUsd).toBe(report.costUsd);
    expectOneRunsRecord(server, runDir);
  });
});
