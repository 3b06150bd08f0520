import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import type { Checkpoint } from '../../src/runtime/checkpoint.js';
// Through the library API: how a library user resumes a run.
import { readResumePoint, runSop } from '../../src/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { readLines } from '../../src/store/index.js';
import { FIXTURES, readEvents, runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

const checkpointOf = (runDir: string): Checkpoint => readResumePoint(runDir).checkpoint;

async function resume(name: string, runDir: string, options: Parameters<typeof runSop>[1] extends infer O ? Partial<O> : never) {
  const { sop } = await loadResolvedSop(path.join(FIXTURES, name));
  return runSop(sop, { inputs: {}, resume: { runDir, ...readResumePoint(runDir) }, ...options });
}

describe('checkpoints', () => {
  it('a snapshot names each message by the seq of its message-published line instead of copying it; the resume point puts them back whole', async () => {
    const echo = scriptedModel((request) => `${userPrompt(request).trim()} ${'x'.repeat(200)}`);
    // Enough rounds for a snapshot after round 0's (written once the bytes since it pass 24 times its size).
    const run = await runFixture('ping-pong.yaml', { model: echo, nRound: 40 });
    const lines = readLines(path.join(run.result.runDir, 'journal.jsonl'))?.records.map((line) => line.record) ?? [];
    const published = new Map(lines.filter((line) => line.type === 'message-published').map((line) => [line.seq, line['message']]));
    // The run ends with how it ended (journal version 5), not its state again.
    expect(lines.at(-1)).toEqual({ seq: lines.length, type: 'run-closed', status: 'round_limit', round: 40 });
    const snapshot = lines.filter((line) => line.type === 'snapshot').at(-1) as Record<string, unknown>;
    expect(snapshot['round']).toBeGreaterThan(0);
    // On disk: numbers, each the seq of a message-published line; no message text repeated.
    expect((snapshot['messages'] as unknown[]).every((entry) => typeof entry === 'number' && published.has(entry))).toBe(true);
    expect(snapshot['pending']).toEqual([expect.any(Number)]);
    expect(JSON.stringify(snapshot)).not.toContain('x'.repeat(200));
    // Read back: the messages whole, as the run published them.
    const checkpoint = checkpointOf(run.result.runDir);
    expect(checkpoint.messages).toEqual([...published.values()]);
    expect(checkpoint.pending).toEqual([[...published.values()].at(-1)]);
    expect(checkpoint.messages.map((message) => message.id)).toEqual(Array.from({ length: 41 }, (_, index) => `m${String(index + 1).padStart(4, '0')}`));
    expect(checkpoint).toMatchObject({ status: 'round_limit', round: 40 });
  });

  it('are written at round boundaries with the state to continue from; a resume continues memory, ids and the log', async () => {
    const echo = (): ReturnType<typeof scriptedModel> => scriptedModel((request) => userPrompt(request).trim());
    const whole = echo();
    const uninterrupted = await runFixture('ping-pong.yaml', { model: whole, nRound: 3 });
    const first = echo();
    const stopped = await runFixture('ping-pong.yaml', { model: first, nRound: 1 });
    expect(stopped.result.status).toBe('round_limit');
    const checkpoint = checkpointOf(stopped.result.runDir);
    expect(checkpoint).toMatchObject({
      checkpointVersion: 1,
      status: 'round_limit',
      round: 1,
      nextMessageId: 2,
      pending: [{ id: 'm0002', type: 'Pong', from: 'ponger', cause: 'm0001' }],
      memories: { pinger: ['m0002'], ponger: ['m0001', 'm0002'] },
      actionRuns: { pong: 1 },
      inputs: { idea: 'a todo app' },
      options: { nRound: 1, investment: null },
      eventSeq: stopped.events.at(-2)?.seq,
    });
    expect(checkpoint.messages.map((message) => message.id)).toEqual(['m0001', 'm0002']);
    expect(checkpoint.usage.total.calls).toBe(1);
    expect(readdirSync(stopped.result.runDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = echo();
    const resumed = await resume('ping-pong.yaml', stopped.result.runDir, { model: second, nRound: 3 });
    expect(resumed.status).toBe(uninterrupted.result.status);
    // The resumed calls see the same prompts (memory windows and chains) as the uninterrupted run's.
    expect(second.requests.map(userPrompt)).toEqual(whole.requests.slice(1).map(userPrompt));
    expect(resumed.report.messages).toEqual(uninterrupted.result.report.messages);
    expect(resumed.report.usage.total.calls).toBe(3);
    const lines = readLines(path.join(stopped.result.runDir, 'journal.jsonl'))?.records ?? [];
    expect(lines.map((line) => line.record.seq)).toEqual(lines.map((_, index) => index + 1));
    const log = readEvents(stopped.result.runDir);
    expect(log.filter((event) => event.type === 'run-resume')).toMatchObject([{ round: 1, checkpointSeq: checkpoint.eventSeq, previousStatus: 'round_limit', nRound: 3 }]);
    const published = log.filter((event) => event.type === 'message-published').map((event) => (event['message'] as { id: string }).id);
    expect(published).toEqual(['m0001', 'm0002', 'm0003', 'm0004']);
    expect(checkpointOf(stopped.result.runDir)).toMatchObject({ status: 'round_limit', round: 3 });
  });

  it('a library resume with a stale read is refused once it holds the run: another resume continued the journal since (left as it is); a completed run is refused', async () => {
    const echo = (): ReturnType<typeof scriptedModel> => scriptedModel((request) => `print(${JSON.stringify(userPrompt(request))})`);
    const controller = new AbortController();
    const interrupted = scriptedModel((request, index) => {
      if (index === 1) controller.abort();
      return `print(${JSON.stringify(userPrompt(request))})`;
    });
    const stopped = await runFixture('foreach.yaml', { model: interrupted, signal: controller.signal });
    expect(stopped.result.status).toBe('interrupted');
    const runDir = stopped.result.runDir;
    const journal = path.join(runDir, 'journal.jsonl');
    const stale = readResumePoint(runDir);
    // Another resume (the CLI's, or another library call) runs the run to its end meanwhile.
    const other = await resume('foreach.yaml', runDir, { model: echo() });
    expect(other.status).toBe('completed');
    const after = readFileSync(journal, 'utf8');

    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'foreach.yaml'));
    const late = echo();
    await expect(runSop(sop, { inputs: {}, model: late, resume: { runDir, ...stale } })).rejects.toMatchObject({
      code: 'RUN_NOT_RESUMABLE',
      message: expect.stringContaining(`${journal} changed since its resume point was read`),
    });
    await expect(resume('foreach.yaml', runDir, { model: late })).rejects.toMatchObject({
      code: 'RUN_NOT_RESUMABLE',
      message: `run ${other.runId} already completed: there is nothing to resume`,
    });
    // Nothing was cut, written or asked again.
    expect(readFileSync(journal, 'utf8')).toBe(after);
    expect(late.requests).toHaveLength(0);
  });

  it('carry max_runs counters over a resume', async () => {
    const uninterrupted = await runFixture('limits.yaml', { model: scriptedModel(() => 'x') });
    const stopped = await runFixture('limits.yaml', { model: scriptedModel(() => 'x'), nRound: 3 });
    expect(checkpointOf(stopped.result.runDir).actionRuns).toEqual({ pong: 2, ping: 1 });
    const resumed = await resume('limits.yaml', stopped.result.runDir, { model: scriptedModel(() => 'x'), nRound: 10 });
    expect(resumed.report.messages).toEqual(uninterrupted.result.report.messages);
    expect(resumed.report.usage.byAction['ping']?.calls).toBe(2);
  });

  it('an interrupted round is redone from the last checkpoint: calls answered before the interrupt are not made or billed again', async () => {
    const answer = (request: Parameters<Parameters<typeof scriptedModel>[0] & object>[0]) => ({ text: `print(${JSON.stringify(userPrompt(request))})`, costUsd: 0.25 });
    const whole = await runFixture('foreach.yaml', { model: scriptedModel((request) => answer(request as never)) });
    const controller = new AbortController();
    const first = scriptedModel((request, index) => {
      if (index === 1) controller.abort();
      return answer(request as never);
    });
    const stopped = await runFixture('foreach.yaml', { model: first, signal: controller.signal });
    expect(stopped.result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(checkpointOf(stopped.result.runDir)).toMatchObject({ status: 'interrupted', round: 0 });
    const journal = readFileSync(path.join(stopped.result.runDir, 'journal.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"type":"call-answered"'));
    expect(journal).toHaveLength(first.requests.length);

    const second = scriptedModel((request) => answer(request as never));
    const resumed = await resume('foreach.yaml', stopped.result.runDir, { model: second });
    expect(resumed.status).toBe('completed');
    expect(second.requests).toHaveLength(whole.result.report.usage.total.calls - journal.length);
    expect(resumed.report.costUsd).toBe(whole.result.report.costUsd);
    expect(resumed.report.artifacts).toEqual(whole.result.report.artifacts);
    const replayed = readEvents(stopped.result.runDir).filter((event) => event.type === 'llm-call-end' && event['resumed'] === true);
    expect(replayed).toHaveLength(journal.length);
  });

  it('a drain (RunOptions.drain) lets the calls in flight finish and journals them, starts no other, and a resume asks none of them again', async () => {
    const answer = (request: Parameters<Parameters<typeof scriptedModel>[0] & object>[0]) => ({ text: `print(${JSON.stringify(userPrompt(request))})`, costUsd: 0.25 });
    const whole = await runFixture('foreach.yaml', { model: scriptedModel((request) => answer(request as never)) });
    const drain = new AbortController();
    const signal = new AbortController().signal;
    const inner = scriptedModel((request) => answer(request as never));
    const cutOff: boolean[] = [];
    // The drain comes while the first call is in flight; every call started answers a moment later.
    const slow = {
      ...inner,
      complete: async (request: Parameters<typeof inner.complete>[0]) => {
        drain.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
        cutOff.push(request.signal?.aborted === true);
        return inner.complete(request);
      },
    };
    const stopped = await runFixture('foreach.yaml', { model: slow, signal, drain: drain.signal });
    expect(stopped.result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    // No call was cut off, every one started was answered and journaled, and the others never started.
    expect(cutOff.length).toBeGreaterThan(0);
    expect(cutOff.every((aborted) => !aborted)).toBe(true);
    const journal = readFileSync(path.join(stopped.result.runDir, 'journal.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"type":"call-answered"'));
    expect(journal).toHaveLength(inner.requests.length);
    expect(inner.requests.length).toBeLessThan(whole.result.report.usage.total.calls);

    const second = scriptedModel((request) => answer(request as never));
    const resumed = await resume('foreach.yaml', stopped.result.runDir, { model: second });
    expect(resumed.status).toBe('completed');
    expect(second.requests).toHaveLength(whole.result.report.usage.total.calls - journal.length);
    expect(resumed.report.costUsd).toBe(whole.result.report.costUsd);
    expect(resumed.report.artifacts).toEqual(whole.result.report.artifacts);
  });

  it('an input the secret mask hid is recorded masked and named in the snapshot: a resume is refused without it, and given it again (options.inputs) goes on with it, masked in the record', async () => {
    const token = 'tok-9f2c4e1a7b3d5608';
    const first = scriptedModel((request) => `seen: ${userPrompt(request).trim()}`);
    const stopped = await runFixture('secret-input.yaml', { model: first, secrets: [token], inputs: { token }, nRound: 1 });
    expect(stopped.result.status).toBe('round_limit');
    const { runDir } = stopped.result;
    const journal = path.join(runDir, 'journal.jsonl');
    expect(checkpointOf(runDir)).toMatchObject({ inputs: { token: '***', key: '***', region: 'eu-west-1' }, maskedInputs: ['token'] });

    const written = readFileSync(journal, 'utf8');
    const refusal = await resume('secret-input.yaml', runDir, { model: scriptedModel(() => 'x'), nRound: 2 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isSopError(refusal) && { code: refusal.code, message: refusal.message, hint: refusal.hint }).toEqual({
      code: 'INPUT_MISSING',
      message: `run ${stopped.result.runId} needs input "token" given again: its value was a secret, recorded as *** (secrets never reach the run's record), and the run would go on with *** in its place`,
      hint: `give it again, as to \`sop run\`: sop resume ${stopped.result.runId} --input token=...`,
    });
    expect(readFileSync(journal, 'utf8')).toBe(written);

    // A journal of an older sop does not name them: a recorded value holding the mask is asked for too.
    expect(written).toContain('"maskedInputs":["token"]');
    writeFileSync(journal, written.replaceAll(',"maskedInputs":["token"]', ''));
    expect(checkpointOf(runDir).maskedInputs).toBeUndefined();
    await expect(resume('secret-input.yaml', runDir, { model: scriptedModel(() => 'x'), nRound: 2 })).rejects.toMatchObject({ code: 'INPUT_MISSING' });

    // Given again (under its alias), without `secrets`: the model sees the value, the record never
    // does; `region`, recorded as given, is the record's whatever is passed.
    const second = scriptedModel((request) => `seen: ${userPrompt(request).trim()}`);
    const resumed = await resume('secret-input.yaml', runDir, { model: second, nRound: 2, inputs: { key: token, region: 'us-east-2' } });
    expect(resumed.status).toBe('round_limit');
    expect(second.requests.map(userPrompt).map((text) => text.trim())).toEqual([`token ${token} in eu-west-1`]);
    const files = readdirSync(runDir).map((name) => path.join(runDir, name));
    expect(files.filter((file) => readFileSync(file, 'utf8').includes(token))).toEqual([]);
    expect(checkpointOf(runDir)).toMatchObject({ inputs: { token: '***', key: '***', region: 'eu-west-1' }, round: 2 });
  });

  it('refuses a snapshot of another version, a run folder without a journal, and a journal without a snapshot', () => {
    const dir = tempFolder();
    expect(() => readResumePoint(dir)).toThrow(expect.objectContaining({ code: 'RUN_NOT_RESUMABLE', message: `run ${path.basename(dir)} has no state to resume from (no ${path.join(dir, 'journal.jsonl')})` }));
    const journal = path.join(dir, 'journal.jsonl');
    writeFileSync(journal, '{"seq":1,"type":"run-start"}\n');
    expect(() => readResumePoint(dir)).toThrow(expect.objectContaining({ code: 'RUN_NOT_RESUMABLE', message: `run ${path.basename(dir)} has no state to resume from (${journal} has no snapshot)` }));
    writeFileSync(journal, '{"seq":1,"type":"snapshot","round":0,"checkpointVersion":2}\n');
    try {
      readResumePoint(dir);
      expect.unreachable();
    } catch (error) {
      expect(isSopError(error) && error.code).toBe('RUN_NOT_RESUMABLE');
      expect((error as Error).message).toBe(`${journal}: checkpointVersion 2 is not supported (expected 1)`);
    }
  });
});
