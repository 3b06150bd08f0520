import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaModel } from '../../../src/providers/ollama/index.js';
import { always, firstRequests } from '../../support/fake-llm/faults.js';
import { MISSING_MODEL, startFakeOllama, type FakeOllama } from '../../support/fake-llm/ollama-server.js';
import { chatRequest, failure } from './ollama-test-helpers.js';

const servers: FakeOllama[] = [];
async function serve(...args: Parameters<typeof startFakeOllama>): Promise<FakeOllama> {
  const server = await startFakeOllama(...args);
  servers.push(server);
  return server;
}

let plain: FakeOllama;
let hanging: FakeOllama;
beforeAll(async () => {
  plain = await serve();
  hanging = await serve({ faults: always({ kind: 'hang' }) });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('ollama provider: errors', () => {
  it('maps 404 "model not found" to PROVIDER_NOT_FOUND with an `ollama pull` hint', async () => {
    const model = createOllamaModel({ name: 'ollama', host: plain.url });
    const error = await failure(model.complete(chatRequest({ model: MISSING_MODEL })));
    expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', status: 404, retryable: false, endpoint: `ollama ${plain.url}` });
    expect(error.message).toContain(`model '${MISSING_MODEL}' not found`);
    expect(error.hint).toBe(`run \`ollama pull ${MISSING_MODEL}\``);
  });

  it.each([true, false])('maps 500 to retryable PROVIDER_UNAVAILABLE (stream %s)', async (stream) => {
    const server = await serve({ faults: always({ kind: 'status', status: 500, body: { error: 'llama runner process has terminated' } }) });
    const error = await failure(createOllamaModel({ name: 'ollama', host: server.url, stream }).complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 500, retryable: true });
    expect(error.message).toContain('llama runner process has terminated');
  });

  it('maps 429 to PROVIDER_RATE_LIMITED with Retry-After in milliseconds', async () => {
    const server = await serve({ faults: always({ kind: 'status', status: 429, retryAfter: '3' }) });
    const error = await failure(createOllamaModel({ name: 'ollama', host: server.url }).complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('maps 400 to non-retryable PROVIDER_BAD_REQUEST', async () => {
    const server = await serve({ faults: always({ kind: 'status', status: 400, body: { error: 'invalid format' } }) });
    const error = await failure(createOllamaModel({ name: 'ollama', host: server.url }).complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', status: 400, retryable: false });
  });

  it('reports a closed port as "cannot reach Ollama" (retryable) with a start hint', async () => {
    const closed = await startFakeOllama();
    await closed.close();
    const error = await failure(createOllamaModel({ name: 'ollama', host: closed.url }).complete(chatRequest()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status: undefined });
    expect(error.message).toContain(`cannot reach Ollama at ${closed.url}`);
    expect(error.hint).toBe('start it with `ollama serve` or set OLLAMA_HOST');
  });

  it.each([true, false])('maps a truncated reply to retryable PROVIDER_UNAVAILABLE (stream %s)', async (stream) => {
    const server = await serve({ faults: always({ kind: 'truncate' }), answer: () => 'word '.repeat(40) });
    const deltas: string[] = [];
    const model = createOllamaModel({ name: 'ollama', host: server.url, stream });
    const error = await failure(model.complete(chatRequest({ onDelta: (delta) => deltas.push(delta) })));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('ended the reply early');
    expect(deltas.length > 0).toBe(stream);
  });

  it.each([
    ['closes cleanly without `done: true`', true, 'PROVIDER_UNAVAILABLE'],
    ['stalls after the first chunk until the 200 ms timeout', false, 'PROVIDER_TIMEOUT'],
  ])('maps a stream that %s to a retryable error', async (_case, endStream, code) => {
    const server = await rawNdjsonServer(endStream);
    const deltas: string[] = [];
    try {
      const request = chatRequest({ signal: AbortSignal.timeout(200), onDelta: (delta) => deltas.push(delta) });
      const error = await failure(createOllamaModel({ name: 'ollama', host: server.url }).complete(request));
      expect(error).toMatchObject({ code, retryable: true });
      expect(deltas).toEqual(['Hel']);
    } finally {
      await server.close();
    }
  });

  it.each([true, false])('cuts a hang with AbortSignal.timeout(200) as PROVIDER_TIMEOUT (stream %s)', async (stream) => {
    const model = createOllamaModel({ name: 'ollama', host: hanging.url, stream });
    const error = await failure(model.complete(chatRequest({ signal: AbortSignal.timeout(200) })));
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
  });

  it('aborting one call does not break a concurrent call on the same model', async () => {
    const server = await serve({ faults: firstRequests({ kind: 'hang' }), answer: () => 'still fine' });
    const model = createOllamaModel({ name: 'ollama', host: server.url });
    const controller = new AbortController();
    const aborted = failure(model.complete(chatRequest({ signal: controller.signal })));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const other = model.complete(chatRequest());
    while (server.requests.length === 1) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await aborted;
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false });
    expect(error.message).toContain('aborted');
    expect((await other).text).toBe('still fine');
  });

  it('fails at once, without a request, when the signal is already aborted', async () => {
    const before = plain.requests.length;
    const error = await failure(createOllamaModel({ name: 'ollama', host: plain.url }).complete(chatRequest({ signal: AbortSignal.abort() })));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(plain.requests.length).toBe(before);
  });
});

/** An NDJSON server that sends one chunk and then ends the stream (or leaves it open). */
async function rawNdjsonServer(endStream: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: 'Hel' }, done: false })}\n`;
    if (endStream) response.end(line);
    else response.write(line);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
