import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, noteSop, project, run, TEST_KEY } from './providers-helpers.js';

afterAll(removeTempDirs);

/** A server that starts streaming a reply at once, then keeps the stream open without finishing it (a long generation). */
async function startStillStreaming(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  const open = new Set<ServerResponse>();
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      open.add(response);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: '# A long note' }, finish_reason: null }] })}\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: async () => {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a provider timeout while the reply is streaming', () => {
  it('says the reply was still streaming (how much had come), not that the server did not answer', async (context) => {
    const server = await startStillStreaming();
    context.onTestFinished(() => server.close());
    const cwd = project(`providers:\n  local: { kind: openai, base_url: "${server.url}", api_key: "\${env:LOCAL_KEY}", timeout: 1, max_retries: 0 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'local:m'], { LOCAL_KEY: TEST_KEY });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain(`error PROVIDER_TIMEOUT: role writer, action write: local ${server.url} was still streaming its reply after 1s (13 characters so far): the provider \`timeout\` is for the whole call`);
    expect(result.stderr).toContain('hint: raise the provider `timeout` in sop.config.yaml for replies this long');
    expect(result.stderr).not.toContain('did not answer');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('counts the cut reply in the report: the provider bills the tokens it had streamed', async (context) => {
    const server = await startStillStreaming();
    context.onTestFinished(() => server.close());
    const cwd = project(`providers:\n  local: { kind: openai, base_url: "${server.url}", api_key: "\${env:LOCAL_KEY}", timeout: 1, max_retries: 0 }\nprices:\n  "local:m": { input: 1000, output: 2000 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'local:m'], { LOCAL_KEY: TEST_KEY });
    expect(result.code).toBe(10);
    const { report, events } = lastRun(cwd);
    const cut = events.find((event) => event.type === 'llm-call-cut');
    // '# A long note' is 4 tokens; the prompt's count is estimated (the server sent none).
    expect(cut).toMatchObject({ role: 'writer', action: 'write', model: 'local:m', attempt: 1, code: 'PROVIDER_TIMEOUT', completionTokens: 4, estimated: true });
    expect(cut.promptTokens).toBeGreaterThan(0);
    expect(cut.costUsd).toBeCloseTo((cut.promptTokens * 1000 + 4 * 2000) / 1e6, 12);
    expect(report.usage.total).toMatchObject({ calls: 0, promptTokens: cut.promptTokens, completionTokens: 4, estimated: true });
    expect(report.costUsd).toBeCloseTo(cut.costUsd, 10);
  });

  it('is not retried: the same long reply would be cut at the same point, and paid each time', async (context) => {
    const server = await startStillStreaming();
    context.onTestFinished(() => server.close());
    const cwd = project(`providers:\n  local: { kind: openai, base_url: "${server.url}", api_key: "\${env:LOCAL_KEY}", timeout: 1, max_retries: 3 }\n`);
    writeFileSync(path.join(cwd, 'sop.yaml'), noteSop());
    const result = await run(cwd, ['run', 'sop.yaml', 'tides', '--model', 'local:m'], { LOCAL_KEY: TEST_KEY });
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('was still streaming its reply after 1s');
    expect(server.requests()).toBe(1);
  });
});
