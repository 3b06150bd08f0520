import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { project } from './providers-helpers.js';
import { FAN_OUT_CALLS, journalLines, runDirOf, start, startGateProxy, waitFor, writeSop } from './resume-helpers.js';
import { readRunEvents } from '../../src/store/index.js';

/**
 * Answered means saved: once a model call's answer has reached `sop`, a kill must not make the
 * resume ask for it again, whatever the layers above the provider still had to do with it.
 *
 * The kill has to land after the answer arrived and before those layers finished, every time. The
 * cassette of `--record` is made a named pipe (FIFO) after the run started: the recorder, storing
 * the first answer, then stops on it, holding the answer. The test sees that moment from outside
 * (a writer can open the pipe only once the reader has) and kills `sop` there, right after the
 * loopback server signalled it had sent the answer. Before the fix the answer was journaled only
 * once every layer had returned; the cache, on by default, stores an answer in several
 * asynchronous steps, and a kill among them lost it.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];

/** Opens the pipe for writing without waiting: only possible once `sop` has it open for reading. */
function openedByReader(fifo: string): number | undefined {
  try {
    return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
}

describe('answered means saved', () => {
  it('SIGKILL while a layer still stores the answer: the answer is in the journal and the resume does not ask for it again', async (context) => {
    const server = await startFakeOpenAI();
    context.onTestFinished(() => server.close());
    const proxy = await startGateProxy(server.url);
    context.onTestFinished(() => proxy.close());
    const cwd = project();
    const cassette = path.join(cwd, 'run.cassette');
    const running = start(cwd, ['run', writeSop(cwd), 'a todo app', ...MODEL, '--record', cassette], proxy.url);
    // A failed wait must not leave the CLI blocked on the pipe.
    context.onTestFinished(() => void running.child.kill('SIGKILL'));
    const state = (): string => `${proxy.answered.length} answered; CLI stderr: ${running.stderr() || '(nothing)'}`;
    // The first call waits at the gate: the run started (its cassette checked), the answer not sent yet.
    await waitFor(() => proxy.held() > 0, state);
    execFileSync('mkfifo', [cassette]);
    proxy.open();

    let writer: number | undefined;
    await waitFor(() => proxy.answered.length > 0 && (writer = openedByReader(cassette)) !== undefined, state);
    running.child.kill('SIGKILL');
    const killed = await running.done;
    closeSync(writer as number);
    expect(killed.code).toBe(-1);
    const [answeredBody] = proxy.answered;
    const runDir = runDirOf(cwd) as string;
    expect(journalLines(runDir)).toBe(1);

    rmSync(cassette);
    const resumed = await start(cwd, ['resume', path.basename(runDir), '--json'], proxy.url).done;
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resultOf(resumed);
    expect(report).toMatchObject({ status: 'completed', usage: { total: { calls: FAN_OUT_CALLS } } });
    // The provider was asked for each call once over both processes; the killed one's answer came from the journal.
    const bodies = server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => JSON.stringify(request.body));
    expect(bodies).toHaveLength(FAN_OUT_CALLS);
    expect(bodies.filter((body) => body === JSON.stringify(JSON.parse(answeredBody as string)))).toHaveLength(1);
    const log = readRunEvents(runDir);
    expect(log.filter((event) => event.type === 'llm-call-end' && event.resumed === true)).toHaveLength(1);
  });
});
