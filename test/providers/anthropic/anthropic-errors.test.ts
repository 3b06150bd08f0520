import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../../src/providers/anthropic/index.js';
import { ProviderError } from '../../../src/providers/provider-error.js';
import { startFakeAnthropic, TEST_ANTHROPIC_KEY, type FakeAnthropic } from '../../support/fake-llm/anthropic-server.js';
import { always, type Fault } from '../../support/fake-llm/faults.js';
import { chatRequest, rejectionOf } from './helpers.js';

const ask = chatRequest([{ role: 'user', content: 'hello' }]);

/** Every text a user could see of an error. */
function visible(error: any): string {
  return `${error.message}\n${error.hint ?? ''}\n${error.endpoint}`;
}

describe('Anthropic provider errors (real SDK, loopback server)', () => {
  const servers: FakeAnthropic[] = [];
  let healthy: FakeAnthropic;
  beforeAll(async () => {
    healthy = await startFakeAnthropic();
    servers.push(healthy);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function withFault(fault: Fault, stream = true) {
    const server = await startFakeAnthropic({ faults: always(fault) });
    servers.push(server);
    return { server, model: createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: server.url, stream }) };
  }

  it('fails with PROVIDER_AUTH before any request when there is no key', async () => {
    const model = createAnthropicModel({ name: 'anthropic', baseURL: healthy.url });
    const before = healthy.requests.length;
    const error = await rejectionOf(model.complete(ask));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, endpoint: `anthropic ${healthy.url}` });
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    expect(healthy.requests.length).toBe(before);
  });

  it('maps a rejected key (401) to PROVIDER_AUTH without the key in message or hint', async () => {
    const wrongKey = 'sk-test-SECRET-999999';
    const model = createAnthropicModel({ name: 'anthropic', apiKey: wrongKey, baseURL: healthy.url });
    const error = await rejectionOf(model.complete(ask));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, status: 401 });
    expect(error.hint).toBe('check ANTHROPIC_API_KEY (or providers.anthropic.api_key)');
    expect(visible(error)).not.toContain(wrongKey);
    expect(visible(error)).not.toContain('SECRET');
  });

  it('a refused key of a provider of another name (kind: anthropic) names its own api_key, not ANTHROPIC_API_KEY, which it does not read', async () => {
    const model = createAnthropicModel({ name: 'claude-eu', apiKey: 'sk-test-SECRET-999999', baseURL: healthy.url });
    const error = await rejectionOf(model.complete(ask));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', status: 401, endpoint: `claude-eu ${healthy.url}` });
    expect(error.hint).toBe('check providers.claude-eu.api_key');
  });

  it('maps an unknown model (404) to PROVIDER_NOT_FOUND naming the model and base URL', async () => {
    const model = createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: healthy.url });
    const error = await rejectionOf(model.complete({ ...ask, model: 'missing-model' }));
    expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', retryable: false, status: 404 });
    expect(error.message).toContain('missing-model');
    expect(error.hint).toContain(healthy.url);
  });

  it.each([
    [{ kind: 'status', status: 400 } as Fault, 'PROVIDER_BAD_REQUEST', false],
    [{ kind: 'status', status: 500 } as Fault, 'PROVIDER_UNAVAILABLE', true],
    [{ kind: 'status', status: 503 } as Fault, 'PROVIDER_UNAVAILABLE', true],
    [{ kind: 'status', status: 529 } as Fault, 'PROVIDER_UNAVAILABLE', true],
    [{ kind: 'status', status: 403 } as Fault, 'PROVIDER_AUTH', false],
  ])('maps %o to %s (retryable %s)', async (fault, code, retryable) => {
    const { model, server } = await withFault(fault);
    const error = await rejectionOf(model.complete(ask));
    expect(error).toMatchObject({ code, retryable, status: (fault as { status: number }).status });
    // maxRetries 0: the resilience layer retries, not the SDK.
    expect(server.requests.length).toBe(1);
  });

  it('maps 429 with Retry-After to PROVIDER_RATE_LIMITED with retryAfterMs', async () => {
    const { model } = await withFault({ kind: 'status', status: 429, retryAfter: '2' }, false);
    const error = await rejectionOf(model.complete(ask));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it('maps a refused connection to PROVIDER_UNAVAILABLE', async () => {
    const port = await freePort();
    const model = createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: `http://127.0.0.1:${port}` });
    const error = await rejectionOf(model.complete(ask));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, endpoint: `anthropic http://127.0.0.1:${port}` });
  });

  it.each([true, false])('maps a truncated answer (stream %s) to retryable PROVIDER_UNAVAILABLE', async (stream) => {
    const { model } = await withFault({ kind: 'truncate' }, stream);
    const deltas: string[] = [];
    const error = await rejectionOf(model.complete({ ...ask, onDelta: (delta) => deltas.push(delta) }));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    if (stream) expect(deltas.length).toBe(1);
  });

  it.each([true, false])('cuts a hanging call (stream %s) with AbortSignal.timeout → PROVIDER_TIMEOUT', async (stream) => {
    const { model } = await withFault({ kind: 'hang' }, stream);
    const error = await rejectionOf(model.complete({ ...ask, signal: AbortSignal.timeout(200) }));
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
  });

  it('rethrows a caller cancel (not a timeout) as the abort reason', async () => {
    const { model } = await withFault({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(model.complete({ ...ask, signal: controller.signal }));
    expect(error).not.toBeInstanceOf(ProviderError);
    expect(error.name).toBe('AbortError');
  });

  it('returns the prose of a reply that ignored the forced tool, for the runtime to repair', async () => {
    const { model } = await withFault({ kind: 'malformed-json' });
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const response = await model.complete({ ...ask, responseSchema: { name: 'out', schema } });
    expect(response.text).toMatch(/^Here is the JSON you asked for:\n```json\n\{/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
