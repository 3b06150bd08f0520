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
});
