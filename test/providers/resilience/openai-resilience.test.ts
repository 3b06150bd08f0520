import { afterAll, describe, expect, it } from 'vitest';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { isProviderError } from '../../../src/providers/provider-error.js';
import { EndpointRegistry, withResilience, type ResilienceEvent } from '../../../src/providers/resilience/index.js';
import { firstRequests } from '../../support/fake-llm/faults.js';
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
});
