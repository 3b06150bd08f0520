import { describe, expect, it } from 'vitest';
import { isSopError } from '../../../src/errors/index.js';
import {
  estimateCostUsd,
  estimatePromptTokens,
  loadPriceTable,
  priceFor,
  unknownPriceWarning,
  withCost,
} from '../../../src/providers/cost/index.js';
import { chatRequest, scriptedModel } from '../resilience/scripted-model.js';

const table = loadPriceTable();

describe('price table', () => {
  it('holds current OpenAI and Anthropic list prices keyed provider:model', () => {
    expect(priceFor(table, 'openai', 'gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceFor(table, 'openai', 'gpt-4o')).toEqual({ input: 2.5, output: 10 });
    for (const model of ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano']) {
      expect(priceFor(table, 'openai', model), model).toBeDefined();
    }
    expect(priceFor(table, 'anthropic', 'claude-sonnet-4-5')).toEqual({ input: 3, output: 15 });
    expect(priceFor(table, 'anthropic', 'claude-haiku-4-5')).toEqual({ input: 1, output: 5 });
    expect(priceFor(table, 'anthropic', 'claude-opus-4-1')).toEqual({ input: 15, output: 75 });
  });

  it('matches dated model ids to their undated key, but never a longer model to a shorter one', () => {
    expect(priceFor(table, 'openai', 'gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(priceFor(table, 'openai', 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceFor(table, 'anthropic', 'claude-sonnet-4-5-20250929')).toEqual({ input: 3, output: 15 });
    expect(priceFor(table, 'anthropic', 'claude-opus-4-20250514')).toEqual({ input: 15, output: 75 });
    expect(priceFor(table, 'openai', 'gpt-4o-audio-preview')).toBeUndefined();
    expect(priceFor(table, 'anthropic', 'claude-opus-4-9')).toBeUndefined();
  });

  it('prices every local ollama model at 0 and knows nothing of other providers', () => {
    expect(priceFor(table, 'ollama', 'llama3.2')).toEqual({ input: 0, output: 0 });
    expect(priceFor(table, 'groq', 'llama-3.3-70b')).toBeUndefined();
  });

  it('lets config overrides replace and add prices, and rejects malformed ones with CONFIG_INVALID', () => {
    const custom = loadPriceTable({ 'openai:gpt-4o-mini': { input: 1, output: 2 }, 'groq:llama-3.3-70b': { input: 0.59, output: 0.79 } });
    expect(priceFor(custom, 'openai', 'gpt-4o-mini')).toEqual({ input: 1, output: 2 });
    expect(priceFor(custom, 'groq', 'llama-3.3-70b')).toEqual({ input: 0.59, output: 0.79 });
    for (const [key, value] of [
      ['gpt-4o', { input: 1, output: 1 }],
      ['openai:gpt-4o', { input: -1, output: 1 }],
      ['openai:gpt-4o', { input: '1', output: 1 }],
    ] as const) {
      let caught: unknown;
      try {
        loadPriceTable({ [key]: value });
      } catch (error) {
        caught = error;
      }
      expect(isSopError(caught) && caught.code).toBe('CONFIG_INVALID');
      expect((caught as Error).message).toContain(`/prices/${key}`);
    }
  });

  it('words the unknown-price warning so the user knows the cost is not counted and how to fix it', () => {
    const warning = unknownPriceWarning('groq:llama-3.3-70b');
    expect(warning).toContain('no price known for groq:llama-3.3-70b');
    expect(warning).toContain('prices:');
  });
});

describe('token and cost estimates', () => {
  it('counts prompt tokens with gpt-tokenizer, schema included', () => {
    const messages = [{ role: 'user' as const, content: 'hello world' }];
    const plain = estimatePromptTokens(messages);
    expect(plain).toBeGreaterThan(2);
    expect(plain).toBeLessThan(20);
    expect(estimatePromptTokens(messages, { schema: { type: 'object', properties: { title: { type: 'string' } } } })).toBeGreaterThan(plain + 5);
  });

  it('prices prompt plus the maximum completion per million tokens', () => {
    expect(estimateCostUsd({ input: 2.5, output: 10 }, 1_000_000, 100_000)).toBeCloseTo(3.5, 10);
    expect(estimateCostUsd({ input: 0.15, output: 0.6 }, 2000, 500)).toBeCloseTo(0.0006, 12);
  });
});

describe('withCost', () => {
  it('sets costUsd = prompt * input + completion * output per million tokens', async () => {
    const model = scriptedModel([{ text: 'ok' }]); // 100 prompt + 20 completion tokens
    const response = await withCost(model, { prices: table, modelKey: 'openai:gpt-4o' }).complete(chatRequest({ model: 'gpt-4o' }));
    expect(response.costUsd).toBeCloseTo((100 * 2.5 + 20 * 10) / 1e6, 12);
  });

  it('prices a dated model the provider reports when the configured key is unknown', async () => {
    const model = scriptedModel([{ text: 'ok' }]);
    const response = await withCost(model, { prices: table, modelKey: 'openai:my-alias' }).complete(chatRequest({ model: 'gpt-4o-mini-2024-07-18' }));
    expect(response.costUsd).toBeCloseTo((100 * 0.15 + 20 * 0.6) / 1e6, 12);
  });

  it('leaves costUsd undefined (not 0) for an unknown price', async () => {
    const model = scriptedModel([{ text: 'ok' }]);
    const response = await withCost(model, { prices: table, modelKey: 'groq:llama-3.3-70b' }).complete(chatRequest({ model: 'llama-3.3-70b' }));
    expect(response.text).toBe('ok');
    expect(response).not.toHaveProperty('costUsd');
  });

  it('costs 0 for ollama models', async () => {
    const model = scriptedModel([{ text: 'ok' }], { provider: 'ollama' });
    const response = await withCost(model, { prices: table, modelKey: 'ollama:llama3.2' }).complete(chatRequest({ model: 'llama3.2' }));
    expect(response.costUsd).toBe(0);
  });
});
