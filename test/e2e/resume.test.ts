import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { artifacts, project } from './providers-helpers.js';
import { FAN_OUT_CALLS, journalLines, journalRecords, resumeStateOf, runDirOf, start, startSlowProxy, waitFor, writeSop, type SlowProxy, type Started } from './resume-helpers.js';
import { resultOf } from '../support/cli-envelope.js';
import { readRunEvents } from '../../src/store/index.js';

/** Crash (SIGKILL) or interrupt (SIGINT) `sop run` in the middle of a round, then `sop resume` it. */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];
const IDEA = 'a todo app';
/** Each proxied call takes this long, so the test can stop the CLI between two calls of a round. */
const DELAY_MS = 60;

async function fake(context: TestContext): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI();
  context.onTestFinished(() => server.close());
  return server;
}

async function proxy(context: TestContext, server: FakeOpenAI): Promise<SlowProxy> {
  const slow = await startSlowProxy(server.url, DELAY_MS);
  context.onTestFinished(() => slow.close());
  return slow;
}

const chatBodies = (server: FakeOpenAI): string[] =>
  server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body));

const events = (runDir: string): any[] => readRunEvents(runDir);

/** The uninterrupted run: its artifacts, report and the request bodies the server got. */
let reference: Promise<{ files: Record<string, string>; report: any; bodies: string[] }> | undefined;
function uninterrupted(context: TestContext): Promise<{ files: Record<string, string>; report: any; bodies: string[] }> {
  reference ??= (async () => {
    const server = await startFakeOpenAI();
    try {
      const cwd = project();
      const result = await start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL, '--json'], server.url).done;
      expect(result.code, result.stderr).toBe(0);
      const bodies = chatBodies(server);
      expect(bodies).toHaveLength(FAN_OUT_CALLS);
      return { files: artifacts(path.join(cwd, 'workspace', 'fan-out')), report: resultOf(result), bodies };
    } finally {
      await server.close();
    }
  })();
  void context;
  return reference;
}

/** What a stalled wait shows: calls journaled and answered, and the CLI's stderr so far. */
const progress = (cwd: string, slow: SlowProxy, running: Started): string =>
  `${journalLines(runDirOf(cwd))} calls journaled, ${slow.answered.length} answered by the proxy; CLI stderr: ${running.stderr().slice(-2000) || '(nothing)'}`;

/** Runs until `calls` calls have completed, then stops the CLI with `signal`. */
async function stopAfter(context: TestContext, calls: number, signal: NodeJS.Signals) {
  const server = await fake(context);
  const slow = await proxy(context, server);
  const cwd = project();
  const sopFile = writeSop(cwd);
  slow.answerAtMost = calls;
  const running = start(cwd, ['run', sopFile, IDEA, ...MODEL], slow.url);
  await waitFor(() => journalLines(runDirOf(cwd)) >= calls, () => progress(cwd, slow, running));
  running.child.kill(signal);
  const stopped = await running.done;
  slow.answerAtMost = Number.POSITIVE_INFINITY;
  const runDir = runDirOf(cwd) as string;
  return { server, slow, cwd, sopFile, stopped, runDir, runId: path.basename(runDir), answered: [...slow.answered] };
}

async function expectResumedLikeUninterrupted(context: TestContext, stop: Awaited<ReturnType<typeof stopAfter>>): Promise<void> {
  const { server, slow, cwd, runDir, runId, answered } = stop;
  const resumed = await start(cwd, ['resume', runId, '--json'], slow.url).done;
  expect(resumed.stderr).not.toMatch(STACK_LINE);
  expect(resumed.code, resumed.stderr).toBe(0);
  const report = resultOf(resumed);
  const expected = await uninterrupted(context);
  expect(report).toMatchObject({ runId, status: 'completed', rounds: expected.report.rounds, messages: expected.report.messages });
  // Byte-identical artifacts, the same cost, the same calls counted.
  expect(artifacts(path.join(cwd, 'workspace', 'fan-out'))).toEqual(expected.files);
  expect(report.costUsd).toBeGreaterThan(0);
  expect(report.costUsd).toBe(expected.report.costUsd);
  expect(report.usage.total.calls).toBe(FAN_OUT_CALLS);
  expect(report.usage.total.promptTokens).toBe(expected.report.usage.total.promptTokens);
  // Every call answered before the stop reached the server exactly once over both processes; the
  // server saw no request the uninterrupted run did not make.
  const bodies = chatBodies(server);
  for (const body of answered) expect(bodies.filter((seen) => seen === body)).toHaveLength(1);
  expect(new Set(bodies)).toEqual(new Set(expected.bodies));
  // One log: the start message published once, a run-resume event, the answered calls given back from the record.
  const log = events(runDir);
  expect(log.filter((event) => event.type === 'message-published' && event.message.type === 'Idea')).toHaveLength(1);
  expect(log.filter((event) => event.type === 'run-resume')).toHaveLength(1);
  const lines = journalRecords(runDir);
  expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
  const answeredInRound = log.filter((event) => event.type === 'llm-call-end' && event.resumed === true);
  expect(answeredInRound.length).toBeGreaterThan(0);
  expect(resumeStateOf(runDir)).toMatchObject({ checkpointVersion: 1, status: 'completed' });
}

describe.concurrent('sop resume', () => {
  for (const calls of [2, 4, 7]) {
    it(`SIGKILL after ${calls} calls (mid-round): resume gives the artifacts, calls and cost of an uninterrupted run`, async (context) => {
      const stop = await stopAfter(context, calls, 'SIGKILL');
      expect(stop.stopped.code).toBe(-1);
      expect(stop.answered).toHaveLength(calls);
      const checkpoint = resumeStateOf(stop.runDir);
      // The crash came in the middle of a round: the checkpoint is the boundary before it.
      expect(checkpoint).toMatchObject({ checkpointVersion: 1, status: 'running', round: calls < 5 ? 1 : 2 });
      await expectResumedLikeUninterrupted(context, stop);
    });
  }

  it('SIGINT mid-round: exit 130 with the resume command; resume completes like an uninterrupted run', async (context) => {
    const stop = await stopAfter(context, 3, 'SIGINT');
    expect(stop.stopped.stderr).not.toMatch(STACK_LINE);
    expect(stop.stopped.code, stop.stopped.stderr).toBe(130);
    expect(stop.stopped.stderr).toContain(`resume with: sop resume ${stop.runId}`);
    expect(resumeStateOf(stop.runDir)).toMatchObject({ status: 'interrupted', round: 1 });
    expect(JSON.parse(readFileSync(path.join(stop.runDir, 'report.json'), 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 130, hint: `resume with: sop resume ${stop.runId}` });
    // One `resume with:` line (the Ctrl-C note before it names the same command, when calls were in flight).
    expect(stop.stopped.stderr.split(`resume with: sop resume ${stop.runId}`)).toHaveLength(2);
    await expectResumedLikeUninterrupted(context, stop);
  });

  it('a second SIGINT exits at once (130) and leaves a record a resume completes from', async (context) => {
    const server = await fake(context);
    const slow = await proxy(context, server);
    const cwd = project();
    slow.answerAtMost = 6;
    const running = start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL], slow.url);
    await waitFor(() => journalLines(runDirOf(cwd)) >= 6, () => progress(cwd, slow, running));
    running.child.kill('SIGINT');
    running.child.kill('SIGINT');
    const stopped = await running.done;
    slow.answerAtMost = Number.POSITIVE_INFINITY;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).not.toMatch(STACK_LINE);
    const runDir = runDirOf(cwd) as string;
    expect(resumeStateOf(runDir)).toMatchObject({ checkpointVersion: 1, round: 2 });
    await expectResumedLikeUninterrupted(context, { server, slow, cwd, runDir, runId: path.basename(runDir), answered: [] } as never);
  });

  it('a run the budget stopped resumes with a larger --investment: nothing paid twice, the cost of an uninterrupted run', async (context) => {
    const server = await fake(context);
    const cwd = project();
    const stopped = await start(cwd, ['run', writeSop(cwd), IDEA, ...MODEL, '--investment', '0.0015'], server.url).done;
    expect(stopped.code, stopped.stderr).toBe(6);
    const runId = path.basename(runDirOf(cwd) as string);
    const made = chatBodies(server).length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(FAN_OUT_CALLS);
    const resumed = await start(cwd, ['resume', runId, '--investment', '5', '--json'], server.url).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resultOf(resumed);
    const expected = await uninterrupted(context);
    expect(report).toMatchObject({ status: 'completed', costUsd: expected.report.costUsd, budget: { investment: 5 } });
    expect(chatBodies(server).sort()).toEqual([...expected.bodies].sort());
    expect(artifacts(path.join(cwd, 'workspace', 'fan-out'))).toEqual(expected.files);
  });

  it('refuses a changed SOP (exit 2, names the file) unless --allow-changed-sop; refuses a completed run', async (context) => {
    const server = await fake(context);
    const cwd = project();
    const sopFile = writeSop(cwd);
    const first = await start(cwd, ['run', sopFile, IDEA, ...MODEL, '--n-round', '2'], server.url).done;
    expect(first.code, first.stderr).toBe(5);
    const runId = path.basename(runDirOf(cwd) as string);
    writeFileSync(sopFile, `${readFileSync(sopFile, 'utf8')}# edited\n`);

    const refused = await start(cwd, ['resume', runId], server.url).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error RESUME_SOP_CHANGED: .*fan-out\.yaml changed since run \S+ started \(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\)/m);
    expect(refused.stderr).toContain('--allow-changed-sop');
    expect(refused.stderr).not.toMatch(STACK_LINE);

    const allowed = await start(cwd, ['resume', runId, '--allow-changed-sop', '--n-round', '10', '--json'], server.url).done;
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(resultOf(allowed)).toMatchObject({ status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
    expect(chatBodies(server)).toHaveLength(FAN_OUT_CALLS);

    const again = await start(cwd, ['resume', path.join(cwd, '.sop', 'runs', runId)], server.url).done;
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error RUN_NOT_RESUMABLE: run ${runId} already completed`);
    const missing = await start(cwd, ['resume', 'no-such-run'], server.url).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error RUN_NOT_FOUND: no run no-such-run');
  });
});
