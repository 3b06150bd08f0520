import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { project, run, TEST_KEY } from './providers-helpers.js';
import { start, startSlowProxy, waitFor, type SlowProxy } from './resume-helpers.js';

/** An eval stopped part way (killed, or by --max-cost) continues with `sop eval --resume ID`. */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const MODEL = 'openai:gpt-4o-mini';

let server: FakeOpenAI;
let proxy: SlowProxy;

function answer(wire: WireRequest): string {
  const question = /Answer the question: (.*)/.exec(wire.messages.at(-1)?.content ?? '')?.[1];
  return question === undefined ? answerLikeOffline(wire) : `About ${question}: 42.`;
}

beforeAll(async () => {
  server = await startFakeOpenAI({ answer, maxRequests: 1000 });
  proxy = await startSlowProxy(server.url, 0);
});

afterAll(async () => {
  await Promise.all([proxy?.close(), server?.close()]);
  removeTempDirs();
});

function writeDataset(cwd: string, count: number, prefix = 'question'): void {
  const cases = Array.from({ length: count }, (_, index) => `  - { name: q${index + 1}, inputs: { idea: "${prefix} ${index + 1}" }, expect: { artifacts: [{ path: answer.md, contains: "${prefix} ${index + 1}" }] } }`);
  writeFileSync(path.join(cwd, 'cases.yaml'), ['apiVersion: sop-eval/v1', `models: ["${MODEL}"]`, 'cases:', ...cases, ''].join('\n'));
}

/** The only eval record under `<cwd>/.sop/evals`. */
function evalDirOf(cwd: string): string | undefined {
  const evals = path.join(cwd, '.sop', 'evals');
  const [id] = existsSync(evals) ? readdirSync(evals) : [];
  return id === undefined ? undefined : path.join(evals, id);
}

function recordLines(evalDir: string | undefined): Array<{ type: string; key: string; runId?: string; run?: { runId: string } }> {
  const file = evalDir === undefined ? '' : path.join(evalDir, 'runs.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line));
}

/** The run got past its start: its journal holds a snapshot to resume from. */
function hasSnapshot(cwd: string, runId: string): boolean {
  const journal = path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl');
  return existsSync(journal) && readFileSync(journal, 'utf8').includes('"type":"snapshot"');
}

/** Requests the server got for a question (each run asks once). */
const asked = (question: string): number =>
  server.requests.filter((request) => request.body?.messages?.at(-1)?.content === `Answer the question: ${question}`).length;

describe('sop eval --resume', () => {
  it('continues an eval killed part way: judged runs are kept, started ones resumed, no answered call asked again', async () => {
    const cwd = project();
    writeDataset(cwd, 6);
    proxy.answerAtMost = 3;
    const killed = start(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--concurrency', '2'], proxy.url);
    const state = (): string => `record: ${JSON.stringify(recordLines(evalDirOf(cwd)))}\nstderr: ${killed.stderr()}`;
    // Three runs judged, two more started and waiting for an answer that never comes.
    await waitFor(() => {
      const lines = recordLines(evalDirOf(cwd));
      const started = lines.filter((line) => line.type === 'start');
      return lines.filter((line) => line.type === 'done').length === 3 && started.length === 5 && started.every((line) => hasSnapshot(cwd, line.runId as string));
    }, state);
    killed.child.kill('SIGKILL');
    await killed.done;
    const evalDir = evalDirOf(cwd) as string;
    const before = recordLines(evalDir);
    const startedIds = before.filter((line) => line.type === 'start').map((line) => line.runId);

    const resumed = await run(cwd, ['eval', '--resume', path.basename(evalDir), '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url });
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code).toBe(0);
    const result = envelopeOf<any>(resumed).result;
    expect(result.runs.map((entry: any) => [entry.case, entry.passed])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [`q${n}`, true]));
    // The five runs started before the kill are the same runs (resumed, not started again); q6 is new.
    expect(result.runs.slice(0, 5).map((entry: any) => entry.runId).sort()).toEqual([...startedIds].sort());
    expect(startedIds).not.toContain(result.runs[5].runId);
    for (const n of [1, 2, 3]) expect(asked(`question ${n}`)).toBe(1);
    expect(result.summary[0]).toMatchObject({ runs: 6, passed: 6, passRate: 1 });
  });

  it('runs the provider failed are run again by --resume (the same runs, resumed), the others kept; the eval says so', async (context) => {
    // The first call is answered, every later one gets a 500: q1 passes, q2 and q3 fail on the provider.
    const failing = await startFakeOpenAI({ answer, faults: (index) => (index >= 1 ? { kind: 'status', status: 500 } : undefined) });
    context.onTestFinished(() => failing.close());
    const cwd = project('providers:\n  openai: { max_retries: 0 }\n');
    writeDataset(cwd, 3, 'flaky question');
    const first = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--concurrency', '1', '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: failing.url });
    // Incomplete, not passed: exit 10 (without --threshold it was 0, and a CI job passed on an outage).
    expect(first.code, first.stderr).toBe(10);
    expect(envelopeOf<any>(first)).toMatchObject({ ok: false, error: { code: 'PROVIDER_FAILED' } });
    const evalId = path.basename(evalDirOf(cwd) as string);
    const before = envelopeOf<any>(first).result.runs;
    expect(before.map((entry: any) => [entry.case, entry.exitCode])).toEqual([['q1', 0], ['q2', 10], ['q3', 10]]);
    const plain = await run(cwd, ['eval', '--resume', evalId], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: failing.url });
    expect(plain.code).toBe(10);
    expect(plain.stderr).toContain(`error PROVIDER_FAILED: 2 of 3 runs failed on the model provider, not on a check: the eval is incomplete\n  hint: once the provider answers, \`sop eval --resume ${evalId}\` runs them again (calls already answered are not paid again)\n`);

    const resumed = await run(cwd, ['eval', '--resume', evalId, '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = envelopeOf<any>(resumed).result.runs;
    expect(after.map((entry: any) => [entry.case, entry.passed])).toEqual([['q1', true], ['q2', true], ['q3', true]]);
    // The same three runs: q1 kept as judged (not asked again), q2 and q3 resumed from their records.
    expect(after.map((entry: any) => entry.runId)).toEqual(before.map((entry: any) => entry.runId));
    expect(asked('flaky question 1')).toBe(0);
    expect(asked('flaky question 2')).toBe(1);
    expect(asked('flaky question 3')).toBe(1);
  });

  it('Ctrl-C stops an eval cleanly (exit 130, the command to continue it), and --resume continues the interrupted run', async () => {
    const cwd = project();
    writeDataset(cwd, 3, 'stop question');
    // The first case is answered, the second waits until the eval is interrupted.
    proxy.answerAtMost = new Set(proxy.answered).size + 1;
    const stopped = start(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--concurrency', '1'], proxy.url);
    const started = (): Array<{ runId?: string }> => recordLines(evalDirOf(cwd)).filter((line) => line.type === 'start');
    await waitFor(() => started().length === 2 && hasSnapshot(cwd, started()[1]?.runId as string), () => `record: ${JSON.stringify(recordLines(evalDirOf(cwd)))}\nstderr: ${stopped.stderr()}`);
    stopped.child.kill('SIGINT');
    const result = await stopped.done;
    const evalId = path.basename(evalDirOf(cwd) as string);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`eval interrupted after 1 of 3 runs`);
    expect(result.stderr).toContain(`sop eval --resume ${evalId}`);
    expect(result.stderr).not.toMatch(STACK_LINE);

    const resumed = await run(cwd, ['eval', '--resume', evalId, '--json'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url });
    expect(resumed.code).toBe(0);
    const runs = envelopeOf<any>(resumed).result.runs;
    expect(runs.map((entry: any) => entry.passed)).toEqual([true, true, true]);
    expect(runs[1].runId).toBe(started()[1]?.runId);
  });

  it('--max-cost stops the eval before it spends more (exit 6, saying what ran), and --resume with more money finishes it', async () => {
    const cwd = project();
    writeDataset(cwd, 3);
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url };
    const requests = server.requests.length;
    const stopped = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--max-cost', '0.0000001', '--json'], env);
    expect(stopped.code).toBe(6);
    const envelope = envelopeOf<any>(stopped);
    expect(envelope.error.code).toBe('RUN_BUDGET_EXHAUSTED');
    expect(envelope.error.message).toMatch(/^eval stopped by --max-cost after 0 of 3 runs/);
    expect(envelope.error.hint).toContain(`sop eval --resume ${envelope.result.evalId} --max-cost`);
    expect(envelope.result.stopped).toMatchObject({ reason: 'max_cost', ran: 0, planned: 3 });
    expect(server.requests.length).toBe(requests);

    const finished = await run(cwd, ['eval', '--resume', envelope.result.evalId, '--max-cost', '1', '--json'], env);
    expect(finished.code).toBe(0);
    const result = envelopeOf<any>(finished).result;
    expect(result.stopped).toBeUndefined();
    expect(result.summary[0]).toMatchObject({ runs: 3, passed: 3 });
    expect(result.summary[0].costUsd).toBeLessThanOrEqual(1);
  });

  it('refuses what the record fixes, and an unknown eval', async () => {
    const cwd = project();
    const fixed = await run(cwd, ['eval', SOP, '--resume', 'x'], {});
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain('the SOP file is fixed when the eval started');
    const unknown = await run(cwd, ['eval', '--resume', '20260101-000000-abcdef'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no eval 20260101-000000-abcdef');
    expect(unknown.stderr).not.toMatch(STACK_LINE);
    writeFileSync(path.join(cwd, 'bad.csv'), 'name,idea,expect.status\na,x,completed\nb,y,finished\n');
    const invalid = await run(cwd, ['eval', SOP, '--dataset', 'bad.csv', '--json'], {});
    expect(invalid.code).toBe(2);
    expect(envelopeOf<any>(invalid).error).toMatchObject({ code: 'DATASET_INVALID', file: 'bad.csv', line: 3 });
    expect(invalid.stderr).toContain('row 2, column expect.status');
    expect(invalid.stderr).not.toMatch(STACK_LINE);
    writeDataset(cwd, 1);
    const noBaseline = await run(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--baseline', 'missing.json'], {});
    expect(noBaseline.code).toBe(2);
    expect(noBaseline.stderr).toContain('cannot read baseline missing.json: no such file');
    expect(evalDirOf(cwd)).toBeUndefined();
  });

  it('a run refused before it starts fails its case, and the eval goes on', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name": "asked", "inputs": {"idea": "question"}}\n{"name": "nothing asked"}\n');
    const result = await run(cwd, ['eval', SOP, '--dataset', 'cases.jsonl', '--model', 'offline', '--json'], {});
    expect(result.code).toBe(0);
    const runs = envelopeOf<any>(result).result.runs;
    expect(runs.map((entry: any) => [entry.case, entry.passed])).toEqual([['asked', true], ['nothing asked', false]]);
    expect(runs[1].failures[0]).toMatchObject({ path: 'inputs', message: expect.stringContaining('idea') });
  });
  it('one process at a time writes an eval record: --resume beside the running eval, or beside another resume, is refused (exit 13) naming the holder, and writes nothing', async () => {
    const cwd = project();
    writeDataset(cwd, 2, 'locked question');
    // No new question is answered: the eval (then its resume) waits on its first run.
    proxy.answerAtMost = new Set(proxy.answered).size;
    const original = start(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--concurrency', '1'], proxy.url);
    const started = (): Array<{ runId?: string }> => recordLines(evalDirOf(cwd)).filter((line) => line.type === 'start');
    await waitFor(() => started().length === 1 && hasSnapshot(cwd, started()[0]?.runId as string), () => `record: ${JSON.stringify(recordLines(evalDirOf(cwd)))}\nstderr: ${original.stderr()}`);
    const evalDir = evalDirOf(cwd) as string;
    const evalId = path.basename(evalDir);
    const runsFile = path.join(evalDir, 'runs.jsonl');
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url };
    const refuse = async (holder: number): Promise<void> => {
      const before = readFileSync(runsFile, 'utf8');
      const refused = await run(cwd, ['eval', '--resume', evalId, '--json'], env);
      expect(refused.code).toBe(13);
      const error = envelopeOf<any>(refused).error;
      expect(error.code).toBe('RUN_LOCKED');
      expect(error.message).toContain(`eval ${evalId} is in use: sop eval (pid ${holder} on host ${os.hostname()})`);
      expect(refused.stderr).not.toMatch(STACK_LINE);
      expect(readFileSync(runsFile, 'utf8')).toBe(before);
    };
    await refuse(original.child.pid as number);

    original.child.kill('SIGKILL');
    await original.done;
    const holding = start(cwd, ['eval', '--resume', evalId, '--concurrency', '1'], proxy.url);
    const lockFile = path.join(evalDir, 'eval.lock');
    // Taking over the killed holder's lock replaces its file: between a look and a read it may be gone.
    const lockText = (): string => {
      try {
        return readFileSync(lockFile, 'utf8');
      } catch {
        return '';
      }
    };
    await waitFor(() => lockText().includes(`"pid":${holding.child.pid}`), () => `stderr: ${holding.stderr()}`);
    await refuse(holding.child.pid as number);
    holding.child.kill('SIGKILL');
    await holding.done;

    // The killed holders' locks are taken over: the eval finishes, each run judged once.
    const finished = await run(cwd, ['eval', '--resume', evalId, '--json'], env);
    expect(finished.code).toBe(0);
    expect(envelopeOf<any>(finished).result.runs.map((entry: any) => [entry.case, entry.passed])).toEqual([['q1', true], ['q2', true]]);
    const judged = recordLines(evalDir).filter((line) => line.type === 'done').map((line) => line.key);
    expect(judged.sort()).toEqual([...new Set(judged)].sort());
    expect(judged).toHaveLength(2);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a case whose run another process holds is not failed: the eval stops with RUN_LOCKED (exit 13) naming the case and the holder, and --resume runs it later', async () => {
    const cwd = project();
    writeDataset(cwd, 2, 'held question');
    proxy.answerAtMost = new Set(proxy.answered).size;
    const stopped = start(cwd, ['eval', SOP, '--dataset', 'cases.yaml', '--concurrency', '1'], proxy.url);
    const started = (): Array<{ runId?: string }> => recordLines(evalDirOf(cwd)).filter((line) => line.type === 'start');
    await waitFor(() => started().length === 1 && hasSnapshot(cwd, started()[0]?.runId as string), () => `record: ${JSON.stringify(recordLines(evalDirOf(cwd)))}\nstderr: ${stopped.stderr()}`);
    stopped.child.kill('SIGINT');
    expect((await stopped.done).code).toBe(130);
    const evalId = path.basename(evalDirOf(cwd) as string);
    const runId = started()[0]?.runId as string;
    // Held as `sop resume RUN` holds it: a live process on this host.
    const runLock = path.join(cwd, '.sop', 'runs', runId, 'run.lock');
    writeFileSync(runLock, `${JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command: 'resume' })}\n`);
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: server.url };

    const refused = await run(cwd, ['eval', '--resume', evalId, '--json'], env);
    expect(refused.code).toBe(13);
    const error = envelopeOf<any>(refused).error;
    expect(error.code).toBe('RUN_LOCKED');
    expect(error.message).toMatch(new RegExp(`^case q1 \\(.*cases\\.yaml:\\d+\\) on ${MODEL}: run ${runId} is in use: sop resume \\(pid ${process.pid} `));
    expect(error.hint).toContain(`continue with: sop eval --resume ${evalId}`);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).not.toContain('inputs');
    // q1 is not judged (no failure of it recorded); q2, run beside it, is.
    expect(recordLines(evalDirOf(cwd)).filter((line) => line.type === 'done').map((line) => JSON.parse(line.key)[0])).not.toContain('q1');

    rmSync(runLock);
    const finished = await run(cwd, ['eval', '--resume', evalId, '--json'], env);
    expect(finished.code).toBe(0);
    const runs = envelopeOf<any>(finished).result.runs;
    expect(runs.map((entry: any) => [entry.case, entry.passed])).toEqual([['q1', true], ['q2', true]]);
    expect(runs[0].runId).toBe(runId);
  });
});
