import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, noteSop, project, run, TEST_KEY } from './providers-helpers.js';

afterAll(removeTempDirs);

type Answer = (response: ServerResponse) => void;

/** A loopback OpenAI-compatible server answering every chat request with `answer`. */
async function startServer(answer: Answer): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => answer(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const chunk = (delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** Writes `piece` again and again, as fast as the client reads, until the client goes away. */
function endlessly(response: ServerResponse, piece: string): void {
  const pump = (): void => {
    while (!response.destroyed && response.write(piece));
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

async function runAgainst(answer: Answer) {
  const server = await startServer(answer);
  const cwd = project(`providers:\n  local: { kind: openai, base_url: "${server.url}", api_key: "\${env:LOCAL_KEY}", max_retries: 2, min_delay: 0.01 }\n`);
  writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
  try {
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'local:m'], { LOCAL_KEY: TEST_KEY, SOP_NO_CACHE: '1' });
    return { result, cwd, requests: server.requests() };
  } finally {
    await server.close();
  }
}

describe('a model reply is read up to a bound', () => {
  it('a server that streams without end fails the call once the reply passes 64 MB, not retried, naming the bound and max_tokens', async () => {
    const { result, requests } = await runAgainst((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      endlessly(response, chunk({ content: 'x'.repeat(60_000) }));
    });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain(`error PROVIDER_REPLY_TOO_LARGE: role writer, action write: the reply from local http://127.0.0.1:`);
    expect(result.stderr).toContain('passed 64 MB, the most sop reads of one reply');
    expect(result.stderr).toContain("hint: bound the reply with the model's `max_tokens`");
    expect(result.stderr).not.toMatch(STACK_LINE);
    // Asked again, such a server answers without end again.
    expect(requests).toBe(1);
  });

  it('so does a JSON body without end', async () => {
    const { result } = await runAgainst((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"');
      endlessly(response, 'z'.repeat(60_000));
    });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('error PROVIDER_REPLY_TOO_LARGE: role writer, action write: the reply from local');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a reply of one character repeated, without usage, is counted in bounded time (the tokenizer is quadratic in a word)', async () => {
    const { result, cwd } = await runAgainst((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'x'.repeat(300_000) } }] }));
    });
    expect(result.code).toBe(0);
    const { report } = lastRun(cwd);
    // 'xxxxxxxx' is one token: about one in eight characters, counted in pieces.
    expect(report.usage.total).toMatchObject({ calls: 1, estimated: true });
    expect(report.usage.total.completionTokens).toBeGreaterThan(30_000);
    expect(report.usage.total.completionTokens).toBeLessThan(40_000);
  });
});
