import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaModel } from '../../../src/providers/ollama/index.js';
import { always } from '../../support/fake-llm/faults.js';
import { fakeTokenCount, startFakeOllama, type FakeOllama } from '../../support/fake-llm/ollama-server.js';
import { chatRequest } from './ollama-test-helpers.js';

const PRD_SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, goals: { type: 'array', items: { type: 'string' } } },
  required: ['title', 'goals'],
  additionalProperties: false,
};

let server: FakeOllama;
let noUsage: FakeOllama;
const answer = () => 'The quick brown fox jumps over the lazy dog, then writes a todo CLI in TypeScript.';

beforeAll(async () => {
  server = await startFakeOllama({ answer });
  noUsage = await startFakeOllama({ faults: always({ kind: 'no-usage' }) });
});
afterAll(async () => {
  await server.close();
  await noUsage.close();
});

describe('ollama provider: replies', () => {
  it('describes itself: no key, endpoint from name and host, default host 127.0.0.1:11434', () => {
    const model = createOllamaModel({ name: 'ollama' });
    expect(model.provider).toBe('ollama');
    expect(model.endpoint).toBe('ollama http://127.0.0.1:11434');
    expect(model.capabilities).toEqual({ nativeJsonSchema: true, tools: true, streaming: true });
    expect(createOllamaModel({ name: 'gpu', host: `${server.url}/` }).endpoint).toBe(`gpu ${server.url}`);
  });

  it('returns a JSON (non-streaming) reply with usage from prompt_eval_count / eval_count', async () => {
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream: false });
    const before = server.requests.length;
    const request = chatRequest({ temperature: 0.3, maxTokens: 64 });
    const reply = await model.complete(request);
    expect(reply.text).toBe(answer());
    expect(reply.model).toBe('llama3.2');
    const promptTokens = fakeTokenCount(request.messages.map((message) => message.content).join(''));
    expect(reply.usage).toEqual({ promptTokens, completionTokens: fakeTokenCount(answer()), estimated: false });
    const body = server.requests[before]!.body;
    expect(body).toMatchObject({ model: 'llama3.2', stream: false, options: { temperature: 0.3, num_predict: 64 } });
    expect(body.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    expect(body.format).toBeUndefined();
  });

  it('streams NDJSON chunks to onDelta and joins them', async () => {
    const model = createOllamaModel({ name: 'ollama', host: server.url });
    const deltas: string[] = [];
    const before = server.requests.length;
    const reply = await model.complete(chatRequest({ onDelta: (delta) => deltas.push(delta) }));
    expect(server.requests[before]!.body.stream).toBe(true);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(answer());
    expect(reply.text).toBe(answer());
    expect(reply.usage.completionTokens).toBe(fakeTokenCount(answer()));
    expect(reply.usage.estimated).toBe(false);
  });

  it('sends the response schema as `format` (structured outputs) and gets JSON that satisfies it', async () => {
    const jsonServer = await startFakeOllama();
    try {
      const model = createOllamaModel({ name: 'ollama', host: jsonServer.url });
      const reply = await model.complete(chatRequest({}, PRD_SCHEMA));
      expect(jsonServer.requests[0]!.body.format).toEqual(PRD_SCHEMA);
      const value = JSON.parse(reply.text) as { title: unknown; goals: unknown };
      expect(typeof value.title).toBe('string');
      expect(Array.isArray(value.goals)).toBe(true);
    } finally {
      await jsonServer.close();
    }
  });

  it.each([true, false])('estimates usage with gpt-tokenizer when Ollama sends no counts (stream %s)', async (stream) => {
    const model = createOllamaModel({ name: 'ollama', host: noUsage.url, stream });
    const reply = await model.complete(chatRequest());
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.usage.estimated).toBe(true);
    expect(reply.usage.promptTokens).toBeGreaterThan(5);
    expect(reply.usage.completionTokens).toBeGreaterThan(0);
  });

  it('sends no Authorization header (even with OLLAMA_API_KEY set) but passes configured headers', async () => {
    const saved = process.env.OLLAMA_API_KEY;
    process.env.OLLAMA_API_KEY = 'sk-test-SECRET-123456';
    try {
      const model = createOllamaModel({ name: 'ollama', host: server.url, headers: { 'x-proxy-tenant': 'team-a' } });
      const before = server.requests.length;
      await model.complete(chatRequest());
      const headers = server.requests[before]!.headers;
      expect(headers.authorization).toBeUndefined();
      expect(headers['x-proxy-tenant']).toBe('team-a');
      expect(JSON.stringify(server.requests)).not.toContain('sk-test-SECRET-123456');
    } finally {
      if (saved === undefined) delete process.env.OLLAMA_API_KEY;
      else process.env.OLLAMA_API_KEY = saved;
    }
  });

  it('the fake server answers the SDK model list and version', async () => {
    const client = new Ollama({ host: server.url });
    expect((await client.list()).models.map((entry) => entry.name)).toEqual(['llama3.2:latest']);
    expect((await client.version()).version).toBe('0.0.0-fake');
  });
});
