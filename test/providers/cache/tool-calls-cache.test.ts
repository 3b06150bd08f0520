import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSopError } from '../../../src/errors/index.js';
import { CassetteWriter, canonicalJson, createReplayModel, requestKey, withCache, withRecorder } from '../../../src/providers/cache/index.js';
import type { ChatMessage, ChatRequest, ToolCall } from '../../../src/providers/chat-model.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { callThenAnswer, SAMPLE_TOOLS } from '../../support/fake-llm/tool-script.js';
import { chatRequest } from '../resilience/scripted-model.js';

/** No secrets to mask in these tests' requests. */
const unmasked = (text: string): string => text;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sop-tool-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const servers: FakeOpenAI[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});
async function openai(): Promise<{ server: FakeOpenAI; request: (messages?: ChatMessage[]) => ChatRequest; model: ReturnType<typeof createOpenAIModel> }> {
  const server = await startFakeOpenAI({ answer: callThenAnswer() });
  servers.push(server);
  const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
  return { server, model, request: (messages) => chatRequest({ tools: SAMPLE_TOOLS, ...(messages ? { messages } : {}) }) };
}

function afterCalls(calls: ToolCall[]): ChatMessage[] {
  return [
    ...chatRequest().messages,
    { role: 'assistant', content: '', toolCalls: calls },
    ...calls.map((call): ChatMessage => ({ role: 'tool', toolCallId: call.id, toolName: call.name, content: `result of ${call.name}` })),
  ];
}

const CALLS: ToolCall[] = [{ id: 'call_1', name: 'fs_read', arguments: '{"path":"a"}' }];

describe('request keys with tools', () => {
  it('keeps the key of a request without tools as it was before tools existed (old cache entries and cassettes match)', () => {
    const request = chatRequest({ temperature: 0, toolChoice: 'none', tools: [] });
    const legacy = { provider: 'openai', model: request.model, messages: request.messages.map(({ role, content }) => ({ role, content })), temperature: 0 };
    expect(requestKey('openai', request)).toBe(createHash('sha256').update(canonicalJson(legacy)).digest('hex'));
    expect(requestKey('openai', chatRequest({ toolChoice: 'auto' }))).toBe(requestKey('openai', chatRequest()));
  });

  it('changes with the tools offered, their order and specs, toolChoice none, and every tool field of the history', () => {
    const base = requestKey('openai', chatRequest({ tools: SAMPLE_TOOLS, messages: afterCalls(CALLS) }));
    const [first, second] = SAMPLE_TOOLS as [(typeof SAMPLE_TOOLS)[0], (typeof SAMPLE_TOOLS)[0]];
    const withHistory = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}) => requestKey('openai', chatRequest({ tools: SAMPLE_TOOLS, messages, ...extra }));
    const history = afterCalls(CALLS);
    const variants = [
      requestKey('openai', chatRequest({ messages: history })),
      requestKey('openai', chatRequest({ tools: [second, first], messages: history })),
      requestKey('openai', chatRequest({ tools: [first, { ...second, description: 'Fetch any URL' }], messages: history })),
      requestKey('openai', chatRequest({ tools: [first, { ...second, parameters: { type: 'object' } }], messages: history })),
      withHistory(history, { toolChoice: 'none' }),
      withHistory(afterCalls([{ ...CALLS[0]!, arguments: '{"path":"b"}' }])),
      withHistory(afterCalls([{ ...CALLS[0]!, id: 'call_9' }])),
      withHistory(history.map((message) => (message.role === 'tool' ? { ...message, isError: true } : message))),
      withHistory(history.map((message) => (message.role === 'tool' ? { ...message, toolName: 'web_get' } : message))),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    expect(withHistory(history, { toolChoice: 'auto' })).toBe(base);
    // Same data, other key order: same key.
    const reordered = history.map((message) => Object.fromEntries(Object.entries(message).reverse()) as ChatMessage);
    expect(withHistory(reordered)).toBe(base);
  });
});

describe('cache and cassettes keep tool calls', () => {
  it('answers a repeated tool-calling request from the cache with the same calls', async () => {
    const { server, model, request } = await openai();
    const cached = withCache(model, { dir, providerKey: 'openai', redact: unmasked });
    const live = await cached.complete(request());
    const again = await cached.complete(request());
    expect(live.toolCalls).toHaveLength(2);
    expect(again).toEqual({ ...live, costUsd: 0, cached: 'cache' });
    expect(server.requests).toHaveLength(1);
    // A request offering other tools is another entry: a live call.
    await cached.complete(chatRequest({ tools: SAMPLE_TOOLS.slice(0, 1) }));
    expect(server.requests).toHaveLength(2);
  });

  it('records a tool loop to a cassette and replays it, tool calls and history included', async () => {
    const file = path.join(dir, 'tools.cassette.jsonl');
    const { model, request } = await openai();
    const recorder = withRecorder(model, { cassette: new CassetteWriter(file, { redact: unmasked }), providerKey: 'openai' });
    const first = await recorder.complete(request());
    const second = await recorder.complete(request(afterCalls(first.toolCalls!)));
    expect(second.text).toBe('done with fs_read=result of fs_read, web_get=result of web_get');

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[1]).toMatchObject({ tools: SAMPLE_TOOLS, response: { text: '', toolCalls: first.toolCalls } });
    expect(lines[2].messages[2]).toEqual({ role: 'assistant', content: '', toolCalls: first.toolCalls });
    expect(lines[2].messages[3]).toEqual({ role: 'tool', toolCallId: 'call_0_1', toolName: 'fs_read', content: 'result of fs_read' });
    expect(lines[2].response).not.toHaveProperty('toolCalls');

    const replay = createReplayModel({ file, providerKey: 'openai' });
    const replayedFirst = await replay.complete(request());
    expect(replayedFirst).toMatchObject({ text: '', toolCalls: first.toolCalls, cached: 'replay' });
    expect((await replay.complete(request(afterCalls(replayedFirst.toolCalls!)))).text).toBe(second.text);

    const otherTools = await replay.complete(chatRequest({ tools: SAMPLE_TOOLS.slice(1) })).catch((error: Error) => error);
    expect((otherTools as Error).message).toMatch(/closest recorded request: tools differ: recorded fs_read, web_get, requested web_get$/);
    const none = await replay.complete(chatRequest({ tools: SAMPLE_TOOLS, toolChoice: 'none' })).catch((error: Error) => error);
    expect((none as Error).message).toMatch(/toolChoice differs: recorded auto, requested none$/);
    const errored = afterCalls(first.toolCalls!).map((message) => (message.role === 'tool' ? { ...message, isError: true } : message));
    const miss = await replay.complete(request(errored)).catch((error: Error) => error);
    expect((miss as Error).message).toMatch(/messages\[3\] tool fields \(canonical JSON\) differs at character/);
  });

  it('still reads a cassette written before tools existed, and refuses tool calls of the wrong shape', async () => {
    const file = path.join(dir, 'old.cassette.jsonl');
    const request = chatRequest();
    const exchange = {
      type: 'exchange',
      key: requestKey('openai', request),
      provider: 'openai',
      model: request.model,
      messages: request.messages,
      purpose: { kind: 'action', role: 'pm', action: 'write_prd' },
      capabilities: { nativeJsonSchema: true, tools: true, streaming: true },
      response: { text: 'old answer', usage: { promptTokens: 1, completionTokens: 2, estimated: false }, model: 'gpt-4o-mini' },
    };
    const header = JSON.stringify({ format: 'sop-cassette', version: 1, createdAt: '2025-01-01T00:00:00.000Z' });
    writeFileSync(file, `${header}\n${JSON.stringify(exchange)}\n`);
    const answer = await createReplayModel({ file }).complete(request);
    expect(answer).toEqual({ text: 'old answer', usage: { promptTokens: 1, completionTokens: 2, estimated: false }, model: 'gpt-4o-mini', finishReason: 'stop', costUsd: 0, cached: 'replay' });

    const broken = { ...exchange, response: { ...exchange.response, toolCalls: [{ id: 'call_1', name: 'fs_read', arguments: { path: 'a' } }] } };
    writeFileSync(file, `${header}\n${JSON.stringify(broken)}\n`);
    let error: unknown;
    try {
      createReplayModel({ file });
    } catch (caught) {
      error = caught;
    }
    expect(isSopError(error) && error.code).toBe('FILE_UNREADABLE');
  });
});
