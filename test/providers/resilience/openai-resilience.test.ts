import { afterAll, describe, expect, it } from 'vitest';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { isProviderError } from '../../../src/providers/provider-error.js';
import { EndpointRegistry, withResilience, type ResilienceEvent } from '../../../src/providers/resilience/index.js';
import { always, firstRequests } from '../../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { chatRequest } from './scripted-model.js';

const servers: FakeOpenAI[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('withResilience around the real OpenAI provider (loopback server)', () => {
  it('retries 429 (Retry-After), a hung request (timeout) and 503, then answers; never retries 401', async () => {
    const server = await startFakeOpenAI({
      faults: firstRequests({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'hang' }, { kind: 'status', status: 503 }),
    });
    servers.push(server);
    const delays: number[] = [];
    const events: ResilienceEvent[] = [];
    // The timeout only has to cut the hung request: 2 s leaves a loaded machine time to answer the others.
    const options = { endpoints: new EndpointRegistry(), timeoutMs: 2000, maxRetries: 4, sleep: async (ms: number) => void delays.push(ms), onEvent: (event: ResilienceEvent) => events.push(event) };
    const model = withResilience(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), options);

    const response = await model.complete(chatRequest());

    expect(response.text.length).toBeGreaterThan(0);
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(4);
    expect(events.map((event) => (event.type === 'llm-call-retry' ? [event.attempt, event.code, event.status] : event.type))).toEqual([
      [1, 'PROVIDER_RATE_LIMITED', 429],
      [2, 'PROVIDER_TIMEOUT', undefined],
      [3, 'PROVIDER_UNAVAILABLE', 503],
    ]);
    expect(delays[0]).toBe(2000);
    expect(events.every((event) => event.endpoint === `openai ${server.url}`)).toBe(true);

    const badKey = withResilience(createOpenAIModel({ name: 'openai', apiKey: 'sk-test-WRONG-0000000', baseURL: server.url }), options);
    const before = server.requests.length;
    let error: unknown;
    try {
      await badKey.complete(chatRequest());
    } catch (caught) {
      error = caught;
    }
    expect(isProviderError(error) && [error.code, error.status, error.retryable]).toEqual(['PROVIDER_AUTH', 401, false]);
    expect(server.requests.length - before).toBe(1);
    expect(String((error as Error).message)).not.toContain('sk-test-WRONG-0000000');
  });

  it('a server asking for a longer wait than max_delay: the last error says so and names the setting, not only "rate limiting"', async () => {
    const server = await startFakeOpenAI({ faults: always({ kind: 'status', status: 429, retryAfter: '90' }) });
    servers.push(server);
    const delays: number[] = [];
    const options = { endpoints: new EndpointRegistry(), timeoutMs: 2000, maxRetries: 2, maxDelayMs: 30_000, sleep: async (ms: number) => void delays.push(ms) };
    const model = withResilience(createOpenAIModel({ name: 'azure', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), options);
    let error: any;
    try {
      await model.complete(chatRequest());
    } catch (caught) {
      error = caught;
    }
    expect(delays).toEqual([30_000, 30_000]);
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', status: 429, retryAfterMs: 90_000, retryable: true, endpoint: `azure ${server.url}` });
    expect(error.message).toMatch(/\(429: .*\); the server asked to wait 90 s, the retries waited at most 30 s \(max_delay\)$/);
    expect(error.hint).toBe('wait 90 s and resume, or raise providers.azure.max_delay to 90 so that retries wait as long as the server asks');
  });

  it('a Retry-After within max_delay keeps the provider\'s own error', async () => {
    const server = await startFakeOpenAI({ faults: always({ kind: 'status', status: 429, retryAfter: '1' }) });
    servers.push(server);
    const options = { endpoints: new EndpointRegistry(), timeoutMs: 2000, maxRetries: 1, sleep: async () => undefined };
    const model = withResilience(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), options);
    await expect(model.complete(chatRequest())).rejects.toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      message: expect.not.stringContaining('max_delay'),
      hint: expect.stringContaining('calls are retried after the delay the server asks for'),
    });
  });
});
