import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/providers/chat-model.js';
import { createModelRegistry, type ModelRegistryOptions } from '../../src/providers/registry.js';
import { createRuntime } from '../../src/providers/sop-runtime.js';
import { type ResilienceEvent } from '../../src/providers/resilience/index.js';
import { firstRequests } from '../support/fake-llm/faults.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-llm/ollama-server.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { cleanTempDirs, errorOf, load, tempDir, writeFiles } from './helpers.js';

const KEY = FAKE_OPENAI_KEY; // sk-test-SECRET-123456
let openai: FakeOpenAI;
let ollama: FakeOllama;

beforeAll(async () => {
  [openai, ollama] = await Promise.all([startFakeOpenAI(), startFakeOllama()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), ollama.close()]);
  cleanTempDirs();
});

function request(model: string, content = 'Write the PRD for a todo app.'): ChatRequest {
  return {
    model,
    messages: [{ role: 'user', content }],
  };
}

/** A project whose `groq` provider is the fake OpenAI server, keyed by ${env:GROQ_API_KEY}. */
async function project(options: ModelRegistryOptions & { env?: Record<string, string>; extra?: string; url?: string } = {}) {
  const { env = { GROQ_API_KEY: KEY }, extra = '', url = openai.url, ...registryOptions } = options;
  const dir = writeFiles(tempDir(), {
    'sop.config.yaml': `providers:\n  groq: { kind: openai, base_url: "${url}", api_key: "\${env:GROQ_API_KEY}"${extra} }\n`,
  });
  const config = await load(dir, { env });
  return { dir, registry: createModelRegistry(config, { cwd: dir, ...registryOptions }) };
}

function requestsSince(before: number): number {
  return openai.requests.length - before;
}

describe('models built from configuration', () => {
  it('a custom provider with kind openai calls its base_url with the key from ${env:NAME}', async () => {
    const runtime = createRuntime();
    const { registry } = await project({ noCache: true, runtime });
    const resolved = registry.resolve({ name: 'groq:fake-model' });
    expect(resolved.model.endpoint).toBe(`groq ${openai.url}`);
    const before = openai.requests.length;
    const response = await resolved.model.complete(request(resolved.modelName));
    expect(response.text).toContain('offline');
    expect(requestsSince(before)).toBe(1);
    const sent = openai.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body.model).toBe('fake-model');
    expect(registry.secrets()).toContain(KEY);
    // The registry adds the keys it uses to its runtime's secret mask.
    expect(runtime.secrets.mask(`key ${KEY}`)).toBe('key ***');
  });

  it('the reply cache answers a repeated request without a call; --no-cache calls again', async () => {
    const { dir, registry } = await project();
    const model = registry.resolve({ name: 'groq:fake-model' }).model;
    const before = openai.requests.length;
    const first = await model.complete(request('fake-model', 'cache me'));
    const second = await model.complete(request('fake-model', 'cache me'));
    expect(requestsSince(before)).toBe(1);
    expect(first.cached).toBeUndefined();
    expect(second).toMatchObject({ text: first.text, cached: 'cache', costUsd: 0 });
    expect(readdirSync(path.join(dir, '.sop', 'cache')).length).toBeGreaterThan(0);

    const uncached = (await project({ noCache: true })).registry.resolve({ name: 'groq:fake-model' }).model;
    await uncached.complete(request('fake-model', 'cache me'));
    expect(requestsSince(before)).toBe(2);
  });

  it('--record writes a cassette; --replay answers from it without building a provider or needing a key', async () => {
    const cassette = path.join(tempDir(), 'run.cassette.jsonl');
    const recorder = (await project({ record: cassette })).registry;
    const live = await recorder.resolve({ name: 'groq:fake-model' }).model.complete(request('fake-model', 'record me'));
    expect(readFileSync(cassette, 'utf8')).not.toContain(KEY);

    const before = openai.requests.length;
    // No GROQ_API_KEY and a dead base URL: nothing but the cassette is used.
    const { registry } = await project({ replay: cassette, env: {}, url: 'http://127.0.0.1:9/v1' });
    const resolved = registry.resolve({ name: 'groq:fake-model' });
    expect(resolved.key).toBe('groq:fake-model');
    const replayed = await resolved.model.complete(request('fake-model', 'record me'));
    expect(replayed).toMatchObject({ text: live.text, cached: 'replay' });
    expect(requestsSince(before)).toBe(0);
    const miss = await errorOf(resolved.model.complete(request('fake-model', 'never recorded')));
    expect(miss.code).toBe('REPLAY_MISS');
    // The offline model is replayed like any other: this cassette has no offline exchange.
    const offline = registry.resolve(undefined);
    expect(offline.key).toBe('offline');
    expect((await errorOf(offline.model.complete(request('offline', 'record me')))).code).toBe('REPLAY_MISS');
  });

  it('preview: every reference is answered by the offline model under the name of the model it chooses, without a key or a call', async () => {
    const before = openai.requests.length;
    const { registry } = await project({ preview: true, env: {} });
    const resolved = registry.resolve({ name: 'groq:fake-model' });
    expect(resolved).toMatchObject({ key: 'groq:fake-model', provider: 'groq', modelName: 'fake-model', price: { input: 0, output: 0 } });
    expect(resolved.model.provider).toBe('offline');
    const answer = await resolved.model.complete(request('fake-model', 'preview me'));
    expect(answer.model).toBe('fake-model');
    expect(requestsSince(before)).toBe(0);
    expect(registry.warnings()).toEqual([]);
  });

  it('--replay of a missing cassette fails when the registry is created', async () => {
    const error = await errorOf(project({ replay: path.join(tempDir(), 'none.jsonl') }));
    expect(error.exitCode).toBeGreaterThan(0);
    expect(error.message).toContain('none.jsonl');
  });

  it('retries come from config and are reported through onEvent', async () => {
    const flaky = await startFakeOpenAI({ faults: firstRequests({ kind: 'status', status: 503 }) });
    try {
      const events: ResilienceEvent[] = [];
      const { registry } = await project({ url: flaky.url, noCache: true, extra: ', max_retries: 1', onEvent: (event) => events.push(event) });
      const response = await registry.resolve({ name: 'groq:fake-model' }).model.complete(request('fake-model'));
      expect(response.text.length).toBeGreaterThan(0);
      expect(events).toMatchObject([{ type: 'llm-call-retry', attempt: 1, code: 'PROVIDER_UNAVAILABLE', status: 503 }]);
      expect(flaky.requests).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });

  it('the per-call timeout comes from config (seconds)', async () => {
    const hanging = await startFakeOpenAI({ faults: () => ({ kind: 'hang' }) });
    try {
      const { registry } = await project({ url: hanging.url, noCache: true, extra: ', timeout: 0.2, max_retries: 0' });
      const error = await errorOf(registry.resolve({ name: 'groq:fake-model' }).model.complete(request('fake-model')));
      expect(error.code).toBe('PROVIDER_TIMEOUT');
    } finally {
      await hanging.close();
    }
  });

  it('OLLAMA_HOST may be host:port without a scheme, as Ollama accepts it', async () => {
    const dir = tempDir();
    const hostPort = new URL(ollama.url).host;
    const config = await load(dir, { env: { OLLAMA_HOST: hostPort } });
    const registry = createModelRegistry(config, { cwd: dir, noCache: true });
    const resolved = registry.resolve({ name: 'ollama:llama3.2' });
    const before = ollama.requests.length;
    await resolved.model.complete(request(resolved.modelName));
    expect(ollama.requests.length - before).toBe(1);
    expect(resolved.price).toEqual({ input: 0, output: 0 });
    expect(existsSync(path.join(dir, '.sop', 'cache'))).toBe(false);
  });
});
