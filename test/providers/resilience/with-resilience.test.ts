import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../src/providers/chat-model.js';
import { isProviderError } from '../../../src/providers/provider-error.js';
import { EndpointRegistry, withResilience, type ResilienceEvent } from '../../../src/providers/resilience/index.js';
import { chatRequest, rateLimited, scriptedModel, unauthorized, unavailable } from './scripted-model.js';

// Each test's breakers and limits are its own (a runtime's, in a run).
let endpoints: EndpointRegistry;
beforeEach(() => {
  endpoints = new EndpointRegistry();
});

/** Records the waits instead of waiting. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('withResilience: retries', () => {
  it('retries retryable errors, waits at least Retry-After, and reports each retry', async () => {
    const model = scriptedModel([{ error: unavailable() }, { error: rateLimited(5000) }, { text: 'done' }]);
    const { sleep, delays } = recordingSleep();
    const events: ResilienceEvent[] = [];
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 3, sleep, onEvent: (event) => events.push(event) });

    const response = await resilient.complete(chatRequest());

    expect(response.text).toBe('done');
    expect(model.calls).toBe(3);
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThan(1000);
    expect(delays[1]).toBe(5000);
    expect(events).toEqual([
      { type: 'llm-call-retry', attempt: 1, code: 'PROVIDER_UNAVAILABLE', status: 503, delayMs: delays[0], endpoint: model.endpoint },
      { type: 'llm-call-retry', attempt: 2, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 5000, endpoint: model.endpoint },
    ]);
  });

  it('backs off exponentially with jitter until the retries are spent, then throws the last error', async () => {
    const model = scriptedModel([{ error: unavailable() }]);
    const { sleep, delays } = recordingSleep();
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 4, sleep, breaker: { failureThreshold: 100 } });

    const error = await rejection(resilient.complete(chatRequest()));

    expect(isProviderError(error) && error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(model.calls).toBe(5);
    expect(delays).toHaveLength(4);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(500 * 2 ** index);
      expect(delay).toBeLessThan(1000 * 2 ** index);
      if (index > 0) expect(delay).toBeGreaterThan(delays[index - 1] as number);
    });
  });

  it('caps every wait, Retry-After included, at maxDelayMs', async () => {
    const model = scriptedModel([{ error: rateLimited(120_000) }, { error: unavailable() }, { text: 'ok' }]);
    const { sleep, delays } = recordingSleep();
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 2, minDelayMs: 4000, maxDelayMs: 6000, sleep, random: () => 0.9 });
    await resilient.complete(chatRequest());
    expect(delays).toEqual([6000, 6000]);
  });

  it('never retries a non-retryable error (401)', async () => {
    const model = scriptedModel([{ error: unauthorized() }, { text: 'never' }]);
    const { sleep, delays } = recordingSleep();
    const events: ResilienceEvent[] = [];
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 5, sleep, onEvent: (event) => events.push(event) });

    const error = await rejection(resilient.complete(chatRequest()));

    expect(isProviderError(error) && [error.code, error.status]).toEqual(['PROVIDER_AUTH', 401]);
    expect(model.calls).toBe(1);
    expect(delays).toEqual([]);
    expect(events).toEqual([]);
  });

  it("stops at once when the caller aborts during a backoff wait, with the caller's reason", async () => {
    const model = scriptedModel([{ error: unavailable() }]);
    const controller = new AbortController();
    const resilient = withResilience(model, {
      endpoints,
      timeoutMs: 1000,
      maxRetries: 5,
      sleep: () => {
        controller.abort(new Error('user pressed Ctrl-C'));
        return new Promise(() => {}); // a wait that would never end on its own
      },
    });
    const error = await rejection(resilient.complete(chatRequest({ signal: controller.signal })));
    expect((error as Error).message).toBe('user pressed Ctrl-C');
    expect(model.calls).toBe(1);
  });

  it('keeps provider, endpoint and capabilities of the wrapped model', () => {
    const model = scriptedModel([{ text: 'x' }], { provider: 'openai', endpoint: 'openai http://127.0.0.1:1/v1' });
    const resilient = withResilience(model, { endpoints, timeoutMs: 10, maxRetries: 0 });
    expect([resilient.provider, resilient.endpoint, resilient.capabilities]).toEqual([model.provider, model.endpoint, model.capabilities]);
  });
});

describe('withResilience: timeout', () => {
  it('aborts a hanging attempt after timeoutMs, as retryable PROVIDER_TIMEOUT, and retries it', async () => {
    const model = scriptedModel([{ hang: true }]);
    const { sleep } = recordingSleep();
    const resilient = withResilience(model, { endpoints, timeoutMs: 30, maxRetries: 1, sleep });

    const error = await rejection(resilient.complete(chatRequest()));

    expect(isProviderError(error) && [error.code, error.retryable, error.endpoint]).toEqual(['PROVIDER_TIMEOUT', true, model.endpoint]);
    expect((error as Error).message).toBe(`${model.endpoint} did not answer within 30 ms`);
    expect(model.calls).toBe(2);
    expect(model.requests.every((request) => request.signal?.aborted)).toBe(true);
  });

  it('times out even a model that ignores the abort signal', async () => {
    const deaf: ChatModel = {
      provider: 'deaf',
      endpoint: 'deaf-endpoint',
      capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
      complete: () => new Promise(() => {}),
    };
    const error = await rejection(withResilience(deaf, { endpoints, timeoutMs: 20, maxRetries: 0 }).complete(chatRequest()));
    expect(isProviderError(error) && error.code).toBe('PROVIDER_TIMEOUT');
  });

  it('a caller abort during a call is not a timeout and is not retried', async () => {
    const model = scriptedModel([{ hang: true }]);
    const controller = new AbortController();
    const resilient = withResilience(model, { endpoints, timeoutMs: 5000, maxRetries: 3, breaker: { failureThreshold: 1 } });
    const pending = rejection(resilient.complete(chatRequest({ signal: controller.signal })));
    setTimeout(() => controller.abort(new Error('interrupted')), 10);
    expect(((await pending) as Error).message).toBe('interrupted');
    expect(model.calls).toBe(1);
    expect(endpoints.breakerState(model.endpoint as string)).toBe('closed');
  });
});

describe('withResilience: circuit breaker per endpoint', () => {
  it('opens after N consecutive failures, fails fast, half-opens after resetAfterMs and closes on success', async () => {
    const endpoint = 'openai http://127.0.0.1:9/v1';
    const model = scriptedModel([{ error: unavailable() }, { error: unavailable() }, { error: unavailable() }, { text: 'back' }], { endpoint });
    let now = 1_000_000;
    const events: ResilienceEvent[] = [];
    const options = { endpoints, timeoutMs: 1000, maxRetries: 0, breaker: { failureThreshold: 3, resetAfterMs: 10_000 }, now: () => now, onEvent: (event: ResilienceEvent) => events.push(event) };
    const resilient = withResilience(model, options);

    for (let call = 0; call < 3; call += 1) {
      const error = await rejection(resilient.complete(chatRequest()));
      expect(isProviderError(error) && error.status).toBe(503);
    }
    expect(events).toEqual([{ type: 'breaker-open', endpoint }]);
    expect(endpoints.breakerState(endpoint)).toBe('open');

    // Fails fast, without calling the model, for every model on the endpoint.
    now += 4_000;
    const sibling = withResilience(scriptedModel([{ text: 'unused' }], { endpoint }), options);
    for (const wrapped of [resilient, sibling]) {
      const fast = await rejection(wrapped.complete(chatRequest()));
      expect(isProviderError(fast) && [fast.code, fast.retryable]).toEqual(['PROVIDER_UNAVAILABLE', false]);
      expect((fast as Error).message).toBe(`circuit open for ${endpoint} after 3 failures; retrying after 6s`);
    }
    expect(model.calls).toBe(3);

    now += 6_000;
    const response = await resilient.complete(chatRequest());
    expect(response.text).toBe('back');
    expect(events.map((event) => event.type)).toEqual(['breaker-open', 'breaker-half-open', 'breaker-close']);
    expect(endpoints.breakerState(endpoint)).toBe('closed');
  });

  it('is shared by the models of one endpoint registry only: another registry (runtime) still calls', async () => {
    const endpoint = 'openai http://127.0.0.1:9/v1';
    const failing = scriptedModel([{ error: unavailable() }], { endpoint });
    const options = { timeoutMs: 1000, maxRetries: 0, breaker: { failureThreshold: 2 } };
    const resilient = withResilience(failing, { ...options, endpoints });
    await rejection(resilient.complete(chatRequest()));
    await rejection(resilient.complete(chatRequest()));
    expect(endpoints.breakerState(endpoint)).toBe('open');

    const elsewhere = new EndpointRegistry();
    const healthy = scriptedModel([{ text: 'still called' }], { endpoint });
    expect((await withResilience(healthy, { ...options, endpoints: elsewhere }).complete(chatRequest())).text).toBe('still called');
    expect(elsewhere.breakerState(endpoint)).toBe('closed');
    const sameRegistry = await rejection(withResilience(healthy, { ...options, endpoints }).complete(chatRequest()));
    expect((sameRegistry as Error).message).toMatch(/^circuit open for /);
    expect(healthy.calls).toBe(1);
  });

  it("tells each call's own onEvent of its retries and of the breaker changes it caused", async () => {
    const endpoint = 'openai http://127.0.0.1:9/v1';
    const model = scriptedModel([{ error: unavailable() }], { endpoint });
    const { sleep } = recordingSleep();
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, sleep, breaker: { failureThreshold: 2 } });
    const heard: Array<[string, string]> = [];
    const call = (name: string) => rejection(resilient.complete(chatRequest({ onEvent: (event) => heard.push([name, event.type]) })));
    await call('first');
    await call('second');
    expect(heard).toEqual([['second', 'breaker-open']]);
    const retrying = withResilience(scriptedModel([{ error: rateLimited() }, { text: 'ok' }]), { endpoints, timeoutMs: 1000, maxRetries: 1, sleep });
    await retrying.complete(chatRequest({ onEvent: (event) => heard.push(['third', event.type]) }));
    expect(heard.at(-1)).toEqual(['third', 'llm-call-retry']);
  });

  it('a failed trial call re-opens the circuit at once', async () => {
    const endpoint = 'flaky-endpoint';
    const model = scriptedModel([{ error: unavailable() }], { endpoint });
    let now = 0;
    const events: ResilienceEvent[] = [];
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, breaker: { failureThreshold: 2, resetAfterMs: 100 }, now: () => now, onEvent: (event) => events.push(event) });
    await rejection(resilient.complete(chatRequest()));
    await rejection(resilient.complete(chatRequest()));
    now += 100;
    await rejection(resilient.complete(chatRequest()));
    expect(events.map((event) => event.type)).toEqual(['breaker-open', 'breaker-half-open', 'breaker-open']);
    const fast = await rejection(resilient.complete(chatRequest()));
    expect((fast as Error).message).toMatch(/^circuit open for flaky-endpoint after 3 failures; retrying after 1s$/);
    expect(model.calls).toBe(3);
  });

  it('retries inside one call count towards the threshold and stop when the circuit opens', async () => {
    const model = scriptedModel([{ error: unavailable() }]);
    const { sleep } = recordingSleep();
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 10, sleep, breaker: { failureThreshold: 3 } });
    const error = await rejection(resilient.complete(chatRequest()));
    expect(isProviderError(error) && error.code).toBe('PROVIDER_UNAVAILABLE');
    expect((error as Error).message).toMatch(/^circuit open for .* after 3 failures/);
    expect(model.calls).toBe(3);
  });

  it('non-retryable errors (a bad key) do not count', async () => {
    const model = scriptedModel([{ error: unauthorized() }]);
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, breaker: { failureThreshold: 2 } });
    for (let call = 0; call < 4; call += 1) {
      const error = await rejection(resilient.complete(chatRequest()));
      expect(isProviderError(error) && error.code).toBe('PROVIDER_AUTH');
    }
    expect(model.calls).toBe(4);
    expect(endpoints.breakerState(model.endpoint as string)).toBe('closed');
  });
});

describe('withResilience: concurrency limit per endpoint', () => {
  it('never has more than maxConcurrency calls in flight, across models sharing the endpoint', async () => {
    const model = scriptedModel([{ delayMs: 15, text: 'ok' }]);
    const first = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, maxConcurrency: 2 });
    const second = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, maxConcurrency: 2 });
    const responses = await Promise.all(Array.from({ length: 8 }, (_, index) => (index % 2 ? first : second).complete(chatRequest())));
    expect(responses.map((response) => response.text)).toEqual(Array(8).fill('ok'));
    expect(model.calls).toBe(8);
    expect(model.maxInFlight).toBe(2);
  });

  it('a queued call whose caller aborts leaves the queue without calling the model', async () => {
    const model = scriptedModel([{ delayMs: 30, text: 'ok' }]);
    const resilient = withResilience(model, { endpoints, timeoutMs: 1000, maxRetries: 0, maxConcurrency: 1 });
    const controller = new AbortController();
    const running = resilient.complete(chatRequest());
    const queued = rejection(resilient.complete(chatRequest({ signal: controller.signal })));
    controller.abort(new Error('cancelled'));
    expect(((await queued) as Error).message).toBe('cancelled');
    expect((await running).text).toBe('ok');
    expect(model.calls).toBe(1);
  });
});
