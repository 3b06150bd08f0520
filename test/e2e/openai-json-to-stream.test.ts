import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { noteSop } from './providers-helpers.js';

/**
 * An OpenAI-compatible server that ignores `stream: true` and answers every chat request with one
 * `application/json` chat.completion (some proxies and small local servers do). The reply was read
 * as an event stream with no events: four retries, the circuit opened, then PROVIDER_UNAVAILABLE
 * "the stream ... ended early (no finish_reason)" with the hint to wait for the provider.
 */
function jsonOnlyServer(): Promise<{ server: Server; url: string; streamedRequests: () => number }> {
  let streamed = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const sent = JSON.parse(body || '{}') as { model?: string; stream?: boolean };
      if (sent.stream === true) streamed += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: sent.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '# Tides\n\nThe sea rises twice a day.' } }],
        usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
      }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, streamedRequests: () => streamed })));
}

afterAll(removeTempDirs);

describe('an OpenAI-compatible server answering a streamed request with one JSON body', () => {
  it('the run takes the answer (exit 0, one call, the artifact written), no retries', async () => {
    const fake = await jsonOnlyServer();
    try {
      const cwd = tempDir('sop-json-stream-');
      writeFileSync(path.join(cwd, 'sop.yaml'), noteSop({ artifact: true }));
      const result = await sop(['run', 'sop.yaml', 'tides', '--model', 'openai:gpt-4o-mini', '--no-cache'], {
        cwd,
        env: { OPENAI_API_KEY: 'sk-test-json-stream', OPENAI_BASE_URL: fake.url, SOP_NO_CACHE: '1' },
      });
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).not.toContain('retrying');
      expect(result.code, result.stderr).toBe(0);
      expect(fake.streamedRequests()).toBe(1);
      expect(readFileSync(path.join(cwd, 'workspace', 'note', 'note.md'), 'utf8')).toContain('The sea rises twice a day.');
    } finally {
      fake.server.close();
    }
  }, 60_000);
});
