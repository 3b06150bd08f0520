import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../src/providers/anthropic/index.js';
import { createOllamaModel } from '../../src/providers/ollama/index.js';
import { createOpenAIModel } from '../../src/providers/openai/index.js';
import { startFakeAnthropic, TEST_ANTHROPIC_KEY, type FakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-llm/ollama-server.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';

/*
 * A base URL with a query (Azure's `?api-version=`, a gateway's `?api-key=`): every request of the
 * real SDK carries the query after its own path, streamed or not.
 */

const QUERY = '?api-version=2024-10-21&api-key=K-123';
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Say hello' }] });

let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let ollama: FakeOllama;
beforeAll(async () => {
  [openai, anthropic, ollama] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
});

describe('a base URL with a query', () => {
  it.each([true, false])('openai (stream %s): the path stays, the query comes after it; the endpoint names the URL as given', async (stream) => {
    const before = openai.requests.length;
    const model = createOpenAIModel({ name: 'azure', apiKey: FAKE_OPENAI_KEY, baseURL: `${openai.url}/${QUERY}`, stream });
    expect(model.endpoint).toBe(`azure ${openai.url}/${QUERY}`);
    const response = await model.complete(ask('gpt-4o-mini'));
    expect(response.text.length).toBeGreaterThan(0);
    const sent = openai.requests.slice(before);
    expect(sent.map((request) => `${request.path}${request.search}`)).toEqual([`/v1/chat/completions${QUERY}`]);
    expect(sent[0]?.body.stream === true).toBe(stream);
  });

  it.each([true, false])('anthropic (stream %s)', async (stream) => {
    const before = anthropic.requests.length;
    const model = createAnthropicModel({ name: 'anthropic', apiKey: TEST_ANTHROPIC_KEY, baseURL: `${anthropic.url}${QUERY}`, stream });
    const response = await model.complete(ask('claude-test-1'));
    expect(response.text.length).toBeGreaterThan(0);
    expect(anthropic.requests.slice(before).map((request) => request.url)).toEqual([`/v1/messages${QUERY}`]);
  });

  it.each([true, false])('ollama (stream %s): the SDK drops a host\'s query; each request gets it back', async (stream) => {
    const before = ollama.requests.length;
    const model = createOllamaModel({ name: 'ollama', host: `${ollama.url}${QUERY}`, stream });
    const response = await model.complete(ask('llama3.2'));
    expect(response.text.length).toBeGreaterThan(0);
    expect(ollama.requests.slice(before).map((request) => request.url)).toEqual([`/api/chat${QUERY}`]);
  });
});
