import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPriceTable, withCost } from '../../../src/providers/cost/index.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';
import { chatRequest } from '../resilience/scripted-model.js';

const servers: FakeOpenAI[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('withCost around the real OpenAI provider (loopback server)', () => {
  it('prices the usage the server reports at gpt-4o-mini list prices', async () => {
    const server = await startFakeOpenAI();
    servers.push(server);
    const model = withCost(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL: server.url }), {
      prices: loadPriceTable(),
      modelKey: 'openai:gpt-4o-mini',
    });
    const response = await model.complete(chatRequest());
    expect(response.usage.estimated).toBe(false);
    expect(response.usage.promptTokens).toBeGreaterThan(0);
    expect(response.costUsd).toBeCloseTo((response.usage.promptTokens * 0.15 + response.usage.completionTokens * 0.6) / 1e6, 12);
  });

  it('a gateway that reports zero tokens for a prompt and a reply it passed on: the counts are estimated, so the call is priced', async () => {
    // As some proxies do when the model behind them reported no usage: `usage` with zeros, streamed last.
    const chunk = (body: object): string => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', ...body })}\n\n`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ choices: [{ index: 0, delta: { content: 'A todo app keeps a list of tasks and their state.' }, finish_reason: null }] }));
      response.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
      response.write(chunk({ choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }));
      response.end('data: [DONE]\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
      const model = withCost(createOpenAIModel({ name: 'openai', apiKey: FAKE_OPENAI_KEY, baseURL }), { prices: loadPriceTable(), modelKey: 'openai:gpt-4o-mini' });
      const response = await model.complete(chatRequest());
      expect(response.usage.estimated).toBe(true);
      expect(response.usage.promptTokens).toBeGreaterThan(0);
      expect(response.usage.completionTokens).toBeGreaterThan(5);
      expect(response.costUsd).toBeGreaterThan(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
