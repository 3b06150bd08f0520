import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/providers/chat-model.js';
import { isSopError } from '../../../src/errors/index.js';
import { CassetteWriter, createReplayModel, withRecorder, type RecorderOptions } from '../../../src/providers/cache/index.js';
import { isProviderError } from '../../../src/providers/provider-error.js';
import { createRedactor, type Redactor } from '../../../src/providers/redact.js';
import { chatRequest, scriptedModel, unavailable } from '../resilience/scripted-model.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sop-cassette-'));
  file = path.join(dir, 'run.cassette.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const unmasked: Redactor = (text) => text;

/** A recorder writing to the test's cassette. */
function recorderOptions(options: { redact?: Redactor; append?: boolean } = {}): RecorderOptions {
  return { cassette: new CassetteWriter(file, { redact: options.redact ?? unmasked, ...(options.append ? { append: true } : {}) }), providerKey: 'openai' };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const design = (content: string): ChatRequest =>
  chatRequest({
    messages: [
      { role: 'system', content: 'You are the architect.' },
      { role: 'user', content },
    ],
    label: 'role "architect", action "write_design"',
    responseSchema: { name: 'design', schema: { type: 'object' } },
  });

async function record(): Promise<{ requests: ChatRequest[]; texts: string[] }> {
  const model = scriptedModel([{ text: 'PRD v1' }, { text: 'PRD v2' }, { text: '{"modules":[]}' }]);
  const recorder = withRecorder(model, recorderOptions());
  const requests = [chatRequest(), chatRequest(), design('Design the todo app from this PRD: one list, many items.')];
  const texts: string[] = [];
  for (const request of requests) texts.push((await recorder.complete(request)).text);
  return { requests, texts };
}

describe('withRecorder', () => {
  it('writes a header line, then one JSON line per exchange with request fields, label and response', async () => {
    await record();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ format: 'sop-cassette', version: 2 });
    expect(lines[1]).toMatchObject({
      type: 'exchange',
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: chatRequest().messages,
      label: 'role "pm", action "write_prd"',
      response: { text: 'PRD v1', usage: { promptTokens: 100, completionTokens: 20, estimated: false }, model: 'gpt-4o-mini' },
    });
    expect(lines[3]).toMatchObject({ responseSchema: { name: 'design' }, label: 'role "architect", action "write_design"' });
    expect(lines[1]).not.toHaveProperty('signal');
    expect(lines[1]).not.toHaveProperty('purpose');
  });

  it('records nothing for a failed call', async () => {
    const recorder = withRecorder(scriptedModel([{ error: unavailable() }]), recorderOptions());
    await rejection(recorder.complete(chatRequest()));
    expect(() => readFileSync(file)).toThrow();
  });

  it('masks secrets in the cassette', async () => {
    const secret = 'sk-test-SECRET-123456';
    const recorder = withRecorder(scriptedModel([{ text: `key ${secret}` }]), recorderOptions({ redact: createRedactor([secret]) }));
    await recorder.complete(chatRequest({ messages: [{ role: 'user', content: `call with ${secret}` }] }));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('call with ***');
  });

  it('refuses to append to a file that is not a cassette', async () => {
    writeFileSync(file, 'my notes\n');
    const recorder = withRecorder(scriptedModel([{ text: 'x' }]), recorderOptions({ append: true }));
    const error = await rejection(recorder.complete(chatRequest()));
    expect(isSopError(error) && error.code).toBe('USAGE');
    // A second answer is refused too: the file stays the user's.
    const again = await rejection(recorder.complete(chatRequest()));
    expect(isSopError(again) && again.code).toBe('USAGE');
    expect(readFileSync(file, 'utf8')).toBe('my notes\n');
  });
});

describe('createReplayModel', () => {
  it('answers recorded requests identically, repeated requests in recording order, never calling out', async () => {
    const { requests, texts } = await record();
    const replay = createReplayModel({ file, providerKey: 'openai' });
    const replayed = [];
    for (const request of requests) replayed.push(await replay.complete(request));
    expect(replayed.map((response) => response.text)).toEqual(texts);
    expect(replayed.map((response) => response.text)).toEqual(['PRD v1', 'PRD v2', '{"modules":[]}']);
    expect(replayed.every((response) => response.cached === 'replay' && response.costUsd === 0)).toBe(true);
    expect(replayed[0]?.usage).toEqual({ promptTokens: 100, completionTokens: 20, estimated: false });
    // Recorded answers ran out: the last one again.
    expect((await replay.complete(chatRequest())).text).toBe('PRD v2');
    expect(replay.capabilities).toEqual({ nativeJsonSchema: true, tools: false, streaming: false });
  });

  it('without providerKey, answers from any provider in the cassette', async () => {
    await record();
    expect((await createReplayModel({ file }).complete(chatRequest())).text).toBe('PRD v1');
  });

  it('a miss is REPLAY_MISS naming the call by its label and the first differing character', async () => {
    await record();
    const replay = createReplayModel({ file, providerKey: 'openai' });
    const error = await rejection(replay.complete(design('Design the todo app from this PRD: two lists, many items.')));
    expect(isProviderError(error) && [error.code, error.retryable]).toEqual(['REPLAY_MISS', false]);
    expect(error.message).toBe(
      `replay miss for role "architect", action "write_design" in ${file}: closest recorded request: ` +
        `messages[1].content differs at character 36: recorded '…this PRD: one list, many items.', requested '…this PRD: two lists, many items.'`,
    );
  });

  it('names a changed model, temperature or message count', async () => {
    await record();
    const replay = createReplayModel({ file, providerKey: 'openai' });
    expect((await rejection(replay.complete(chatRequest({ model: 'gpt-4o' })))).message).toMatch(/model differs: recorded gpt-4o-mini, requested gpt-4o$/);
    expect((await rejection(replay.complete(chatRequest({ temperature: 0.7 })))).message).toMatch(/temperature differs: recorded unset, requested 0\.7$/);
    const longer = chatRequest({ messages: [...chatRequest().messages, { role: 'user', content: 'and more' }] });
    expect((await rejection(replay.complete(longer))).message).toMatch(/number of messages differs: recorded 2, requested 3$/);
  });

  it('a miss for a call never recorded lists what the cassette has', async () => {
    await record();
    const qa = chatRequest({
      messages: [{ role: 'user', content: 'Choose your next action: test or done.' }],
      label: 'role "qa", react-choice call',
    });
    const error = await rejection(createReplayModel({ file }).complete(qa));
    expect(error.message).toMatch(
      /^replay miss for role "qa", react-choice call in .*: the cassette has no exchange for this call \(it has: role "pm", action "write_prd"; role "architect", action "write_design"\)$/,
    );
  });

  it('masks secrets in a miss, which quotes the request', async () => {
    await record();
    const secret = 'sk-test-SECRET-123456';
    const replay = createReplayModel({ file, providerKey: 'openai', redact: createRedactor([secret]) });
    const error = await rejection(replay.complete(design(`Design the todo app from this PRD: ${secret}`)));
    expect(error.message).toContain('***');
    expect(error.message).not.toContain(secret);
  });

  it('reports a missing cassette and a bad line with file:line; ignores a last line cut short by a crash', async () => {
    let error: unknown;
    try {
      createReplayModel({ file: path.join(dir, 'none.jsonl') });
    } catch (caught) {
      error = caught;
    }
    expect(isSopError(error) && error.code).toBe('FILE_NOT_FOUND');

    await record();
    appendFileSync(file, '{"type":"exchange","key":"ab'); // crash mid-line
    expect((await createReplayModel({ file }).complete(chatRequest())).text).toBe('PRD v1');

    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = 'not json';
    writeFileSync(file, lines.join('\n') + '\n');
    try {
      createReplayModel({ file });
    } catch (caught) {
      error = caught;
    }
    expect(isSopError(error) && [error.code, error.message]).toEqual(['FILE_UNREADABLE', `cassette line ${file}:3 is not valid JSON`]);

    writeFileSync(file, '{"hello":1}\n');
    expect(() => createReplayModel({ file })).toThrow(/is not a sop cassette header/);
  });
});

describe('a version 1 cassette (calls named by `purpose`, before requests carried a label)', () => {
  const V1 = fileURLToPath(new URL('../../fixtures/cassettes/react-v1.cassette', import.meta.url));
  const recorded = readFileSync(V1, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line));

  it('replays its answers and names a missed call as it names a version 2 one', async () => {
    const first = recorded[0];
    const replay = createReplayModel({ file: V1, providerKey: 'openai' });
    const request: ChatRequest = { model: first.model, messages: first.messages, responseSchema: first.responseSchema, label: 'role "worker", react-choice call' };
    expect((await replay.complete(request)).text).toBe(first.response.text);

    const analyse = recorded[1];
    const changed: ChatRequest = { model: analyse.model, messages: [analyse.messages[0], { role: 'user', content: 'analyse a weather app' }], label: 'role "worker", action "analyse"' };
    const miss = await rejection(replay.complete(changed));
    expect(miss.message).toMatch(/^replay miss for role "worker", action "analyse" in .*react-v1\.cassette: closest recorded request: messages\[1\]\.content differs at character 11: recorded 'analyse a todo app'/);

    const unknown = await rejection(replay.complete({ ...changed, label: 'role "qa", action "test"' }));
    expect(unknown.message).toMatch(/the cassette has no exchange for this call \(it has: role "worker", react-choice call; role "worker", action "analyse"\)$/);
  });
});
