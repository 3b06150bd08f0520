import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProvider, missingKey } from '../../../src/providers/registry-providers.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, type ProviderSettings } from '../../../src/providers/registry-settings.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-llm/openai-server.js';

/**
 * `missingKey` (what `sop eval` checks before its first run) says what a provider's first call says
 * for want of a key: the same PROVIDER_AUTH error where the provider needs one, nothing where it does not.
 */
let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
});

function settings(partial: Partial<ProviderSettings> & Pick<ProviderSettings, 'name' | 'kind'>): ProviderSettings {
  return { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, maxRetries: DEFAULT_MAX_RETRIES, minDelayMs: 500, maxDelayMs: 30_000, ...partial };
}

async function firstCallError(provider: ProviderSettings): Promise<unknown> {
  const model = await loadProvider(provider);
  return model.complete({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(() => undefined, (error: unknown) => error);
}

describe('missingKey agrees with the providers', () => {
  it.each([
    ['openai without a key', settings({ name: 'openai', kind: 'openai' }), 'set OPENAI_API_KEY (or providers.openai.api_key)'],
    ['anthropic without a key', settings({ name: 'anthropic', kind: 'anthropic' }), 'set ANTHROPIC_API_KEY (or providers.anthropic.api_key)'],
    ['a configured OpenAI-compatible provider on api.openai.com', settings({ name: 'work', kind: 'openai', baseURL: 'https://api.openai.com/v1/' }), 'set providers.work.api_key'],
  ])('%s: the error of the first call, with its hint', async (_, provider, hint) => {
    const expected = missingKey(provider);
    expect(expected).toMatchObject({ code: 'PROVIDER_AUTH', exitCode: 10, hint });
    const actual = await firstCallError(provider);
    expect(actual).toMatchObject({ code: expected?.code, message: expected?.message, hint: expected?.hint });
  });

  it('a local OpenAI-compatible server and Ollama need no key; a key given is enough', async () => {
    const local = settings({ name: 'local', kind: 'openai', baseURL: `${server.url}` });
    expect(missingKey(local)).toBeUndefined();
    // The call goes to the server (which refuses a request without a key): no error before it.
    const before = server.requests.length;
    expect(String((await firstCallError(local) as Error | undefined)?.message)).not.toContain('no API key');
    expect(server.requests.length).toBe(before + 1);
    expect(missingKey(settings({ name: 'ollama', kind: 'ollama' }))).toBeUndefined();
    expect(missingKey(settings({ name: 'openai', kind: 'openai', apiKey: 'sk-given' }))).toBeUndefined();
  });
});
