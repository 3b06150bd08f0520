import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../../src/providers/anthropic/index.js';
import { startFakeAnthropic, TEST_ANTHROPIC_KEY, type FakeAnthropic } from '../../support/fake-llm/anthropic-server.js';
import { always, firstRequests } from '../../support/fake-llm/faults.js';
import { chatRequest } from './helpers.js';

const schema = {
  type: 'object',
  properties: { title: { type: 'string' }, points: { type: 'integer' } },
  required: ['title', 'points'],
  additionalProperties: false,
};

describe('Anthropic provider replies (real SDK, loopback server)', () => {
  let server: FakeAnthropic;
  let offlineServer: FakeAnthropic;
  let noUsageServer: FakeAnthropic;
  beforeAll(async () => {
    server = await startFakeAnthropic({
      answer: (wire) => (wire.schema ? (wire.schema.type === 'object' && 'value' in (wire.schema.properties as object) ? '{"value":[1,2,3]}' : '{"title":"Plan","points":3}') : `echo: ${wire.messages.at(-1)?.content}`),
    });
    noUsageServer = await startFakeAnthropic({ faults: always({ kind: 'no-usage' }) });
    offlineServer = await startFakeAnthropic({ faults: firstRequests({ kind: 'missing-fields' }) });
  });
  afterAll(async () => {
    await server.close();
    await offlineServer.close();
    await noUsageServer.close();
  });

  const model = (stream: boolean, url = server.url) => createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: url, stream });

  it('answers text without streaming and maps the request body', async () => {
    const response = await model(false).complete(
      chatRequest(
        [
          { role: 'system', content: 'You are terse.' },
          { role: 'system', content: 'Reply in English.' },
          { role: 'user', content: 'first' },
          { role: 'user', content: 'second' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: 'third' },
        ],
        { temperature: 0.3, maxTokens: 100 },
      ),
    );
    expect(response.text).toBe('echo: third');
    expect(response.model).toBe('claude-test-1');
    expect(response.usage.estimated).toBe(false);
    const { body, headers } = server.requests.at(-1)!;
    expect(body.system).toBe('You are terse.\n\nReply in English.');
    expect(body.messages).toEqual([
      { role: 'user', content: 'first\n\nsecond' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'third' },
    ]);
    expect(body.max_tokens).toBe(100);
    // API version 2026-10-21 rejects sampling parameters with 400.
    expect(body).not.toHaveProperty('temperature');
    expect(body.stream).toBe(false);
    expect(headers['anthropic-version']).toBeTruthy();
    expect(JSON.stringify(body)).not.toContain(TEST_ANTHROPIC_KEY);
  });

  it('streams text, calls onDelta per delta and reports usage from message_start and message_delta', async () => {
    const deltas: string[] = [];
    const response = await model(true).complete(chatRequest([{ role: 'user', content: 'stream me please' }], { onDelta: (delta) => deltas.push(delta) }));
    expect(response.text).toBe('echo: stream me please');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(response.text);
    expect(server.requests.at(-1)!.body).toMatchObject({ stream: true, max_tokens: 8192 });
    expect(response.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: Math.ceil(response.text.length / 4), estimated: false });
  });

  it.each([false, true])('forces a tool for structured output and returns its input as JSON (stream %s)', async (stream) => {
    const deltas: string[] = [];
    const response = await model(stream).complete(chatRequest([{ role: 'user', content: 'plan' }], { responseSchema: { name: 'plan output', schema }, onDelta: (delta) => deltas.push(delta) }));
    expect(JSON.parse(response.text)).toEqual({ title: 'Plan', points: 3 });
    const { body } = server.requests.at(-1)!;
    expect(body.tools).toEqual([{ name: 'plan_output', description: 'Reply by calling this tool with the output', input_schema: schema }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'plan_output' });
    if (stream) expect(deltas.join('')).toBe(response.text);
  });

  it('wraps a non-object schema as {value} and unwraps the reply', async () => {
    const arraySchema = { $defs: { n: { type: 'integer' } }, type: 'array', items: { $ref: '#/$defs/n' } };
    const response = await model(true).complete(chatRequest([{ role: 'user', content: 'numbers' }], { responseSchema: { name: 'numbers', schema: arraySchema } }));
    expect(JSON.parse(response.text)).toEqual([1, 2, 3]);
    expect(server.requests.at(-1)!.body.tools[0].input_schema).toEqual({
      type: 'object',
      properties: { value: { type: 'array', items: { $ref: '#/$defs/n' } } },
      required: ['value'],
      $defs: { n: { type: 'integer' } },
    });
  });

  it('estimates usage when the server sends none', async () => {
    for (const stream of [false, true]) {
      const response = await model(stream, noUsageServer.url).complete(chatRequest([{ role: 'user', content: 'no usage here' }]));
      expect(response.text.length).toBeGreaterThan(0);
      expect(response.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: expect.any(Number), estimated: true });
      expect(response.usage.promptTokens).toBeGreaterThan(0);
      expect(response.usage.completionTokens).toBeGreaterThan(0);
    }
  });

  it('answers like the offline model by default, and passes a reply missing fields through for the runtime to check', async () => {
    const offline = model(true, offlineServer.url);
    const first = JSON.parse((await offline.complete(chatRequest([{ role: 'user', content: 'plan' }], { responseSchema: { name: 'plan', schema } }))).text);
    expect(first).not.toHaveProperty('title');
    const second = JSON.parse((await offline.complete(chatRequest([{ role: 'user', content: 'plan' }], { responseSchema: { name: 'plan', schema } }))).text);
    expect(second).toEqual({ title: expect.any(String), points: expect.any(Number) });
  });
});
