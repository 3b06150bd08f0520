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

async function runAgainst(answer: Answer) {
  const server = await startServer(answer);
  const cwd = project(`providers:\n  local: { kind: openai, base_url: "${server.url}", api_key: "\${env:LOCAL_KEY}", max_retries: 0 }\n`);
  writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
  try {
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'local:m'], { LOCAL_KEY: TEST_KEY, SOP_NO_CACHE: '1' });
    return { result, cwd, requests: server.requests() };
  } finally {
    await server.close();
  }
}

describe('a reply whose usage is estimated', () => {
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
