import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../src/errors/index.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { retryAfterMs } from '../../../src/providers/openai/errors.js';
import { ProviderError } from '../../../src/providers/provider-error.js';
import { always } from '../../support/fake-llm/faults.js';
import { FAKE_OPENAI_KEY, MISSING_OPENAI_MODEL } from '../../support/fake-llm/openai-server.js';
import { chatRequest, fakeServers, rejectionOf } from './openai-test-helpers.js';

const startServer = fakeServers();

/** Every user-visible text of an error: nothing here may contain a key. */
function visibleText(error: ProviderError): string {
  return [error.message, error.hint ?? '', String(error.cause ?? ''), JSON.stringify(error)].join('\n');
}

describe('OpenAI-compatible provider: errors', () => {
  it.each([
    { status: 400, code: 'PROVIDER_BAD_REQUEST', retryable: false },
    { status: 422, code: 'PROVIDER_BAD_REQUEST', retryable: false },
    { status: 403, code: 'PROVIDER_AUTH', retryable: false },
    { status: 404, code: 'PROVIDER_NOT_FOUND', retryable: false },
    { status: 408, code: 'PROVIDER_UNAVAILABLE', retryable: true },
    { status: 409, code: 'PROVIDER_UNAVAILABLE', retryable: true },
    { status: 500, code: 'PROVIDER_UNAVAILABLE', retryable: true },
    { status: 503, code: 'PROVIDER_UNAVAILABLE', retryable: true },
    { status: 429, code: 'PROVIDER_RATE_LIMITED', retryable: true },
  ])('maps HTTP $status to $code (retryable: $retryable), one request, no SDK retry', async ({ status, code, retryable }) => {
    const server = await startServer({ faults: always({ kind: 'status', status }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code, retryable, status, endpoint: `openai ${server.url}`, retryAfterMs: undefined });
    expect(exitCodeOf(error)).toBe(10);
    expect(error.message).toContain(`fake fault ${status}`);
    expect(visibleText(error)).not.toContain(FAKE_OPENAI_KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('reads the delay a 429 asks for from Retry-After', async () => {
    const server = await startServer({ faults: always({ kind: 'status', status: 429, retryAfter: '2' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream: false });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterMs: 2000 });
  });

  it('parses retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '750', 'retry-after': '9' }))).toBe(750);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': inTenSeconds }))).toBeGreaterThan(8000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });

  it('maps a refused key to PROVIDER_AUTH without repeating the key, even when the server echoes it', async () => {
    const badKey = 'sk-test-WRONG-987654';
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: badKey, baseURL: server.url });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, status: 401 });
    expect(error.message).toContain(`the API key was refused by openai ${server.url}`);
    expect(error.hint).toBe('check OPENAI_API_KEY (or providers.openai.api_key)');
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${badKey}`);
    expect(visibleText(error)).not.toContain(badKey);
    expect(visibleText(error)).not.toContain('WRONG-987654');
  });

  it('fails with PROVIDER_AUTH before any call when api.openai.com has no key', async () => {
    const model = createOpenAIModel({ name: 'openai' });
    expect(model.endpoint).toBe('openai https://api.openai.com/v1');
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, status: undefined });
    expect(error.hint).toContain('set OPENAI_API_KEY');
  });

  it('names the model and base URL when the model is unknown', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const error = await rejectionOf(model.complete(chatRequest({ model: MISSING_OPENAI_MODEL })));
    expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', retryable: false, status: 404 });
    expect(error.message).toContain(`model \`${MISSING_OPENAI_MODEL}\` not found at ${server.url}`);
    expect(error.hint).toBe('check the model name and OPENAI_BASE_URL (or providers.openai.base_url)');
  });

  it.each([true, false])('turns a reply cut short into a retryable PROVIDER_UNAVAILABLE (stream: %s)', async (stream) => {
    const server = await startServer({ faults: always({ kind: 'truncate' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const deltas: string[] = [];
    const error = await rejectionOf(model.complete(chatRequest({ onDelta: (delta) => deltas.push(delta) })));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('ended early');
    if (stream) expect(deltas.length).toBeGreaterThan(0);
  });

  it('a key refused from a header (Azure\'s api-key) with no api_key set: the hint names the headers, not only an api_key that is not set', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'azure', baseURL: server.url, headers: { 'api-key': 'azkey-SECRET-5555' } });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', status: 401 });
    expect(error.hint).toBe('check the key header in providers.azure.headers, or set providers.azure.api_key (none is set)');
    const keyed = await rejectionOf(createOpenAIModel({ name: 'azure', baseURL: server.url, apiKey: 'sk-test-WRONG-0000' }).complete(chatRequest()));
    expect(keyed.hint).toBe('check providers.azure.api_key');
  });

  it('a base URL without /v1 (as vLLM prints its address) gets a 404 whose hint gives the URL with /v1', async () => {
    const server = await startServer();
    const root = server.url.replace(/\/v1$/, '');
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: root });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', status: 404 });
    expect(error.hint).toBe(`check the model name and OPENAI_BASE_URL (or providers.openai.base_url): the base URL has no /v1, where OpenAI-compatible servers (vLLM, LM Studio, llama.cpp, Ollama) answer; try ${root}/v1`);
  });

  it('a 404 without an API error body (a web framework\'s {"detail": "Not Found"}) names the URL it asked, not only "model not found"', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: 'Not Found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const baseURL = `http://127.0.0.1:${address.port}/proxy/v1`;
      const model = createOpenAIModel({ name: 'vllm', baseURL });
      const error = await rejectionOf(model.complete(chatRequest({ model: 'qwen' })));
      expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', status: 404 });
      expect(error.message).toBe(`${baseURL}/chat/completions answered 404 for model \`qwen\`: no such model, or no chat completions API at that URL`);
      expect(error.hint).toBe('check the model name and providers.vllm.base_url');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a 200 reply that is no event stream (a proxy\'s HTML login page) says so and names the base_url to check, not "ended early"', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Sign in to the proxy</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const model = createOpenAIModel({ name: 'local', baseURL: `http://127.0.0.1:${address.port}/v1` });
      const error = await rejectionOf(model.complete(chatRequest()));
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(error.message).toContain(`the reply from local http://127.0.0.1:${address.port}/v1 held no chat completion (no stream events): is it an OpenAI-compatible API? check the base_url of provider \`local\``);
      expect(error.message).not.toContain('ended early');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('treats a stream that closes cleanly without finish_reason as ended early', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'half' }, finish_reason: null }] })}\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const model = createOpenAIModel({ name: 'local', baseURL: `http://127.0.0.1:${address.port}/v1` });
      const error = await rejectionOf(model.complete(chatRequest()));
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
      expect(error.message).toContain('ended early (no finish_reason)');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([true, false])('cuts a hanging server with the caller’s AbortSignal.timeout → PROVIDER_TIMEOUT (stream: %s)', async (stream) => {
    const server = await startServer({ faults: always({ kind: 'hang' }) });
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url, stream });
    const error = await rejectionOf(model.complete(chatRequest({ signal: AbortSignal.timeout(200) })));
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true, endpoint: `openai ${server.url}` });
  });

  it('rethrows the caller’s own abort reason, also mid-stream', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const controller = new AbortController();
    const interrupted = new Error('interrupted by SIGINT');
    const error = await rejectionOf(model.complete(chatRequest({ signal: controller.signal, onDelta: () => controller.abort(interrupted) })));
    expect(error).toBe(interrupted);
  });

  it('keeps an answer whose last chunk arrived when the abort (Ctrl-C) comes before the stream ends', async () => {
    // The whole answer in one SSE chunk (text and finish_reason); the stream is left open, without `[DONE]`.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'the whole answer' }, finish_reason: 'stop' }] })}\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: `http://127.0.0.1:${address.port}/v1` });
      const controller = new AbortController();
      const reply = await model.complete(chatRequest({ signal: controller.signal, onDelta: () => controller.abort(new Error('interrupted by SIGINT')) }));
      expect(reply.text).toBe('the whole answer');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lets an error thrown by onDelta through unchanged', async () => {
    const server = await startServer();
    const model = createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url });
    const failure = new TypeError('display failed');
    const error = await rejectionOf(model.complete(chatRequest({ onDelta: () => { throw failure; } })));
    expect(error).toBe(failure);
  });

  it('maps a refused connection to a retryable PROVIDER_UNAVAILABLE naming the base URL', async () => {
    const server = await startServer();
    const baseURL = server.url;
    await server.close();
    const model = createOpenAIModel({ name: 'groq', apiKey: FAKE_OPENAI_KEY, baseURL });
    const error = await rejectionOf(model.complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status: undefined, endpoint: `groq ${baseURL}` });
    expect(error.message).toContain(`cannot reach ${baseURL} (connect ECONNREFUSED`);
    expect(error.hint).toContain('providers.groq.base_url');
  });

  it('rejects an invalid base URL with CONFIG_INVALID', () => {
    expect(() => createOpenAIModel({ name: 'local', baseURL: 'localhost:8000' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
