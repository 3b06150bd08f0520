import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CassetteWriter, createReplayModel, withCache, withRecorder } from '../../../src/providers/cache/index.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { chatRequest } from '../resilience/scripted-model.js';

/** No secrets to mask in these tests' requests. */
const unmasked = (text: string): string => text;

const servers: FakeOpenAI[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function setup(): Promise<{ server: FakeOpenAI; dir: string; chats: () => number }> {
  const server = await startFakeOpenAI();
  servers.push(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'sop-openai-cache-'));
  dirs.push(dir);
  return { server, dir, chats: () => server.requests.filter((request) => request.path === '/v1/chat/completions').length };
}

/** Every file written under dir, as text. */
function writtenText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('cache, record and replay around the real OpenAI provider (loopback server)', () => {
  it('withCache: the second identical request is served from disk; the key sent in headers is in no file', async () => {
    const { server, dir, chats } = await setup();
    const model = withCache(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), { dir, providerKey: 'openai', redact: unmasked });
    const live = await model.complete(chatRequest());
    const hit = await model.complete(chatRequest());
    expect(chats()).toBe(1);
    expect(hit).toEqual({ ...live, costUsd: 0, cached: 'cache' });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(writtenText(dir)).toContain(JSON.stringify(live.text));
    expect(writtenText(dir)).not.toContain(FAKE_OPENAI_KEY);
  });

  it('withRecorder + createReplayModel: replay answers exactly what was recorded, with no request; no key in the cassette', async () => {
    const { server, dir, chats } = await setup();
    const file = path.join(dir, 'run.cassette.jsonl');
    const recorder = withRecorder(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), { cassette: new CassetteWriter(file, { redact: unmasked }), providerKey: 'openai' });
    const requests = [chatRequest(), chatRequest({ messages: [{ role: 'user', content: 'Summarize the PRD.' }], temperature: 0 })];
    const recorded = [];
    for (const request of requests) recorded.push(await recorder.complete(request));
    expect(chats()).toBe(2);

    const replay = createReplayModel({ file, providerKey: 'openai' });
    for (const [index, request] of requests.entries()) {
      const replayed = await replay.complete(request);
      expect({ text: replayed.text, usage: replayed.usage, model: replayed.model, finishReason: replayed.finishReason }).toEqual(recorded[index]);
      expect(replayed.cached).toBe('replay');
    }
    expect(replay.capabilities).toEqual({ nativeJsonSchema: true, tools: true, streaming: true });
    expect(chats()).toBe(2);
    expect(readFileSync(file, 'utf8')).not.toContain(FAKE_OPENAI_KEY);
  });
});
