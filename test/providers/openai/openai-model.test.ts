import { encode } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { always } from '../../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY, FAKE_OPENAI_MODELS, fakeTokenCount } from '../../support/fake-llm/openai-server.js';
import { chatRequest, fakeServers, PRD_SCHEMA } from './openai-test-helpers.js';

const startServer = fakeServers();

describe('OpenAI-compatible provider: replies', () => {
  it('streams a JSON reply through the real SDK, sending the schema natively and mapping usage', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const deltas: string[] = [];
    const request = chatRequest({
      temperature: 0.2,
      maxTokens: 500,
      responseSchema: { name: 'PRD message!', schema: PRD_SCHEMA },
      onDelta: (delta) => deltas.push(delta),
    });
    const response = await model.complete(request);

    const value = JSON.parse(response.text) as { title: unknown; goals: unknown[] };
    expect(typeof value.title).toBe('string');
    expect(value.goals.length).toBeGreaterThan(0);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(response.text);
    expect(response.model).toBe('gpt-4o-mini');
    const prompt = request.messages[0]!.content + request.messages[1]!.content;
    expect(response.usage).toEqual({ promptTokens: fakeTokenCount(prompt), completionTokens: fakeTokenCount(response.text), estimated: false });

    expect(server.requests).toHaveLength(1);
    const { body, headers } = server.requests[0]!;
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_completion_tokens: 500,
      stream: true,
      stream_options: { include_usage: true },
      response_format: { type: 'json_schema', json_schema: { name: 'PRD_message_', schema: PRD_SCHEMA, strict: false } },
    });
    expect(body.messages).toEqual(request.messages);
    expect(headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(model.endpoint).toBe(`openai ${server.url}`);
    expect(model.capabilities).toEqual({ nativeJsonSchema: true, tools: true, streaming: true });
  });

  it('a server that refuses `stream_options` (400) is asked again without it, and not sent it again; usage is estimated', async () => {
    const server = await startServer({ refuses: ['stream_options'] });
    const model = createOpenAIModel({ name: 'azure', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const first = await model.complete(chatRequest());
    const second = await model.complete(chatRequest({ temperature: 0 }));

    expect(first.text.length).toBeGreaterThan(0);
    expect([first.usage.estimated, second.usage.estimated]).toEqual([true, true]);
    expect(server.requests.map((request) => 'stream_options' in request.body)).toEqual([true, false, false]);
    expect(server.requests.every((request) => request.body.stream === true)).toBe(true);
  });

  it('a server that refuses `max_completion_tokens` is asked with `max_tokens`, streaming or not', async () => {
    for (const stream of [true, false]) {
      const server = await startServer({ refuses: ['max_completion_tokens'] });
      const model = createOpenAIModel({ name: 'azure', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
      const cut = await model.complete(chatRequest({ maxTokens: 3 }));
      await model.complete(chatRequest({ maxTokens: 3, temperature: 0 }));

      expect(cut.finishReason).toBe('length');
      expect(server.requests.map((request) => [request.body.max_completion_tokens, request.body.max_tokens])).toEqual([[3, undefined], [undefined, 3], [undefined, 3]]);
    }
  });

  it('a 400 about a value, or about a field with no older form, is PROVIDER_BAD_REQUEST at once, not asked again', async () => {
    const tooMany = await startServer({ faults: always({ kind: 'status', status: 400, body: { error: { message: 'max_completion_tokens is too large: 100000. This model supports at most 16384 completion tokens.', type: 'invalid_request_error', param: 'max_completion_tokens', code: null } } }) });
    const unknownTemperature = await startServer({ refuses: ['temperature'] });
    for (const [server, request] of [[tooMany, chatRequest({ maxTokens: 100_000 })], [unknownTemperature, chatRequest({ temperature: 0 })]] as const) {
      const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
      await expect(model.complete(request)).rejects.toMatchObject({ code: 'PROVIDER_BAD_REQUEST' });
      expect(server.requests).toHaveLength(1);
    }
  });

  it('makes a non-streaming call when stream is false', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: `${server.url}/`, stream: false });
    const deltas: string[] = [];
    const response = await model.complete(chatRequest({ responseSchema: { name: 'prd', schema: PRD_SCHEMA }, onDelta: (delta) => deltas.push(delta) }));

    expect(JSON.parse(response.text)).toHaveProperty('title');
    expect(deltas).toEqual([]);
    expect(response.usage.estimated).toBe(false);
    expect(response.usage.completionTokens).toBe(fakeTokenCount(response.text));
    expect(server.requests[0]!.body.stream).toBeUndefined();
    expect(server.requests[0]!.body.stream_options).toBeUndefined();
    expect(model.capabilities.streaming).toBe(false);
  });

  it('sends no response_format for plain text and passes the reply text through', async () => {
    const server = await startServer({ answer: () => 'Plain answer, no JSON.' });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const response = await model.complete(chatRequest());
    expect(response.text).toBe('Plain answer, no JSON.');
    expect(server.requests[0]!.body.response_format).toBeUndefined();
    expect(server.requests[0]!.body.temperature).toBeUndefined();
  });

  it.each([true, false])('estimates usage with gpt-tokenizer when the server sends none (stream: %s)', async (stream) => {
    const server = await startServer({ faults: always({ kind: 'no-usage' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const request = chatRequest();
    const response = await model.complete(request);
    const prompt = request.messages.map((message) => message.content).join('\n');
    expect(response.usage).toEqual({ promptTokens: encode(prompt).length, completionTokens: encode(response.text).length, estimated: true });
    expect(response.usage.completionTokens).toBeGreaterThan(0);
  });

  it('returns a malformed JSON reply as sent (repair is the output layer’s job)', async () => {
    const server = await startServer({ faults: always({ kind: 'malformed-json' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const response = await model.complete(chatRequest({ responseSchema: { name: 'prd', schema: PRD_SCHEMA } }));
    expect(response.text).toMatch(/^Here is the JSON you asked for:\n```json\n/);
  });

  it('talks to a keyless local server (vLLM, llama.cpp) with a placeholder key, organization and extra headers', async () => {
    const server = await startServer({ requireKey: false });
    const model = createOpenAIModel({ name: 'vllm', baseURL: server.url, organization: 'org-test', headers: { 'x-team': 'sop' } });
    const response = await model.complete(chatRequest({ model: 'fake-model' }));
    expect(response.model).toBe('fake-model');
    expect(model.provider).toBe('vllm');
    expect(model.endpoint).toBe(`vllm ${server.url}`);
    const { headers } = server.requests[0]!;
    expect(headers.authorization).toMatch(/^Bearer \S+$/);
    expect(headers['openai-organization']).toBe('org-test');
    expect(headers['x-team']).toBe('sop');
  });

  it('ignores OPENAI_BASE_URL / OPENAI_API_KEY in the environment: only the options decide', async () => {
    const server = await startServer();
    const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    process.env.OPENAI_API_KEY = 'sk-test-ENV-000000';
    try {
      const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
      await model.complete(chatRequest());
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    } finally {
      restoreEnv('OPENAI_BASE_URL', saved.base);
      restoreEnv('OPENAI_API_KEY', saved.key);
    }
  });
});

describe('fake OpenAI server: model listing', () => {
  it('lists models on GET /v1/models for the real SDK and counts the request', async () => {
    const server = await startServer();
    const client = new OpenAI({ apiKey: FAKE_OPENAI_KEY, baseURL: server.url, maxRetries: 0 });
    const ids: string[] = [];
    for await (const entry of client.models.list()) ids.push(entry.id);
    expect(ids).toEqual(FAKE_OPENAI_MODELS);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
