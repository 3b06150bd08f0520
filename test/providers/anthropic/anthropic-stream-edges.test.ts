import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../../src/providers/anthropic/index.js';
import { TEST_ANTHROPIC_KEY } from '../../support/fake-llm/anthropic-server.js';
import { chatRequest, rejectionOf } from './helpers.js';

/** SSE bodies the shared fake server does not produce: a stream that ends cleanly too early, an error event. */
const STREAMS: Record<string, string> = {
  '/early/v1/messages': [
    event('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test-1', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }),
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half an ans' } }),
  ].join(''),
  '/overloaded/v1/messages': [
    event('message_start', { type: 'message_start', message: { id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-test-1', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }),
    event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
  ].join(''),
};

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

describe('Anthropic provider on unusual streams', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(STREAMS[req.url ?? ''] ?? ''));
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const model = (path: string) => createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: `${url}${path}` });

  it('treats a stream that ends before message_stop as retryable PROVIDER_UNAVAILABLE', async () => {
    const deltas: string[] = [];
    const error = await rejectionOf(model('/early').complete(chatRequest([{ role: 'user', content: 'hi' }], { onDelta: (delta) => deltas.push(delta) })));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('message_stop');
    expect(deltas).toEqual(['Half an ans']);
  });

  it('maps an overloaded_error event inside the stream to retryable PROVIDER_UNAVAILABLE', async () => {
    const error = await rejectionOf(model('/overloaded').complete(chatRequest([{ role: 'user', content: 'hi' }])));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('Overloaded');
  });
});
