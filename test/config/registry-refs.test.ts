import { afterAll, describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../src/providers/registry.js';
import { cleanTempDirs, errorOf, load, tempDir, writeFiles } from './helpers.js';

afterAll(cleanTempDirs);

const CONFIG = [
  'default_model: fast',
  'models:',
  '  fast: openai:gpt-4o-mini',
  '  strong: { model: anthropic:claude-sonnet-4-5, temperature: 0.2, max_tokens: 900 }',
  '  best: { model: strong, temperature: 0.7 }',
  '  local: ollama:llama3.2:3b',
  '  loop-a: loop-b',
  '  loop-b: loop-a',
  'providers:',
  '  groq: { kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: "${env:GROQ_API_KEY}" }',
  '',
].join('\n');

async function registryFor(options: { config?: string; flags?: { model?: string; provider?: string } } = {}) {
  const dir = writeFiles(tempDir(), { 'sop.config.yaml': options.config ?? CONFIG });
  const config = await load(dir, { env: { GROQ_API_KEY: 'gsk-test-SECRET-42' }, flags: options.flags ?? {} });
  return createModelRegistry(config, { cwd: dir, noCache: true });
}

function summary(resolved: { provider: string; modelName: string; key: string; temperature?: number; maxTokens?: number }) {
  const { provider, modelName, key, temperature, maxTokens } = resolved;
  return { provider, modelName, key, temperature, maxTokens };
}

describe('model references', () => {
  it('aliases resolve to provider:model with their parameters; the SOP parameters win', async () => {
    const registry = await registryFor();
    expect(summary(registry.resolve({ name: 'strong' }))).toEqual({
      provider: 'anthropic', modelName: 'claude-sonnet-4-5', key: 'anthropic:claude-sonnet-4-5', temperature: 0.2, maxTokens: 900,
    });
    expect(summary(registry.resolve({ name: 'strong', temperature: 0.9 }))).toMatchObject({ temperature: 0.9, maxTokens: 900 });
    // an alias of an alias: the nearer alias's parameters win, the rest are inherited
    expect(summary(registry.resolve({ name: 'best' }))).toMatchObject({ key: 'anthropic:claude-sonnet-4-5', temperature: 0.7, maxTokens: 900 });
    // the model part keeps its own colons (an Ollama tag)
    expect(summary(registry.resolve({ name: 'local' }))).toMatchObject({ provider: 'ollama', modelName: 'llama3.2:3b', key: 'ollama:llama3.2:3b' });
  });

  it('aliases that refer to each other are CONFIG_INVALID', async () => {
    const error = await errorOf(async () => (await registryFor()).resolve({ name: 'loop-a' }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('loop-a → loop-b → loop-a');
  });

  it('precedence: --model > the SOP reference > default_model > offline', async () => {
    const registry = await registryFor();
    expect(registry.resolve({ name: 'strong' }, 'groq:llama-3.3-70b').key).toBe('groq:llama-3.3-70b');
    expect(registry.resolve({ name: 'strong' }).key).toBe('anthropic:claude-sonnet-4-5');
    expect(registry.resolve(undefined).key).toBe('openai:gpt-4o-mini');
    const bare = await registryFor({ config: 'providers: {}\n' });
    expect(summary(bare.resolve(undefined))).toMatchObject({ provider: 'offline', modelName: 'offline', key: 'offline' });
  });

  it('--model given to loadConfig still wins over the SOP reference', async () => {
    const registry = await registryFor({ flags: { model: 'gpt-4.1' } });
    expect(registry.resolve({ name: 'strong' }).key).toBe('openai:gpt-4.1');
  });

  it('bare names: the SOP provider, else --provider/default_provider, else inferred from the name', async () => {
    const registry = await registryFor();
    expect(registry.resolve({ name: 'gpt-4o' }).key).toBe('openai:gpt-4o');
    expect(registry.resolve({ name: 'o3-mini' }).key).toBe('openai:o3-mini');
    expect(registry.resolve({ name: 'claude-haiku-4-5' }).key).toBe('anthropic:claude-haiku-4-5');
    expect(registry.resolve({ name: 'llama3.2', provider: 'ollama' }).key).toBe('ollama:llama3.2');
    const withProvider = await registryFor({ flags: { provider: 'ollama' } });
    expect(withProvider.resolve({ name: 'qwen2.5:7b' }).key).toBe('ollama:qwen2.5:7b');
    expect(withProvider.resolve({ name: 'gpt-4o' }).key).toBe('ollama:gpt-4o');
  });

  it('a bare name no rule covers is PROVIDER_UNKNOWN (exit 2) naming the choices', async () => {
    const error = await errorOf(async () => (await registryFor()).resolve({ name: 'mistral-large' }));
    expect(error.code).toBe('PROVIDER_UNKNOWN');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('mistral-large');
    expect(error.hint).toContain('--provider');
    expect(error.hint).toContain('anthropic, groq, offline, ollama, openai');
  });

  it('an unknown provider is PROVIDER_UNKNOWN listing the configured providers, with a suggestion for typos', async () => {
    const registry = await registryFor();
    const unknown = await errorOf(() => registry.resolve({ name: 'together:llama-3' }));
    expect(unknown.code).toBe('PROVIDER_UNKNOWN');
    expect(unknown.message).toMatch(/unknown provider `together`.*providers: .*groq/);
    const typo = await errorOf(() => registry.resolve(undefined, 'opneai:gpt-4o'));
    expect(typo.hint).toBe('did you mean `openai`?');
    expect(typo.message).toContain('from --model');
    const explicit = await errorOf(() => registry.resolve({ name: 'llama3', provider: 'olama' }));
    expect(explicit.code).toBe('PROVIDER_UNKNOWN');
  });

  it('offline is the built-in model, unwrapped and free; every key gets one shared model', async () => {
    const registry = await registryFor();
    const offline = registry.resolve({ name: 'offline' });
    expect(offline.model.provider).toBe('offline');
    expect(offline.price).toEqual({ input: 0, output: 0 });
    expect(registry.resolve({ name: 'fast', temperature: 1 }).model).toBe(registry.resolve({ name: 'openai:gpt-4o-mini' }).model);
    expect(registry.resolve({ name: 'fast' }).price).toEqual({ input: 0.15, output: 0.6 });
  });

  it('script:FILE is the scripted model, read from the project folder when first resolved (an alias may name it); script: alone is PROVIDER_UNKNOWN', async () => {
    const registry = await registryFor({ config: 'models:\n  scripted: script:answers.yaml\n' });
    const missing = await errorOf(async () => registry.resolve({ name: 'scripted' }));
    expect([missing.code, missing.message]).toEqual(['FILE_NOT_FOUND', 'cannot read script answers.yaml: no such file']);
    const dir = writeFiles(tempDir(), { 'sop.config.yaml': 'models:\n  scripted: script:answers.yaml\n', 'answers.yaml': 'apiVersion: sop-script/v1\nanswers: []\n' });
    const scripted = createModelRegistry(await load(dir, {}), { cwd: dir, noCache: true }).resolve({ name: 'scripted' });
    expect(summary(scripted)).toMatchObject({ provider: 'script', modelName: 'answers.yaml', key: 'script:answers.yaml' });
    expect([scripted.price, scripted.scripted?.script.strict]).toEqual([{ input: 0, output: 0 }, false]);
    const empty = await errorOf(async () => registry.resolve({ name: 'script:' }));
    expect([empty.code, empty.hint]).toEqual(['PROVIDER_UNKNOWN', 'write `script:path/to/answers.yaml`']);
  });

  it('models without a price are warned about once', async () => {
    const registry = await registryFor();
    registry.resolve({ name: 'groq:llama-3.3-70b' });
    registry.resolve({ name: 'groq:llama-3.3-70b' });
    expect(registry.warnings()).toHaveLength(1);
    expect(registry.warnings()[0]).toContain('groq:llama-3.3-70b');
    expect(registry.resolve({ name: 'groq:llama-3.3-70b' }).price).toBeUndefined();
  });

  it('config prices override the built-in table', async () => {
    const registry = await registryFor({ config: 'prices:\n  openai:gpt-4o-mini: { input: 1, output: 2 }\n' });
    expect(registry.resolve({ name: 'gpt-4o-mini' }).price).toEqual({ input: 1, output: 2 });
  });

  it('an unset ${env:NAME} of a provider fails when that provider is used, not before', async () => {
    const dir = writeFiles(tempDir(), { 'sop.config.yaml': CONFIG });
    const registry = createModelRegistry(await load(dir), { cwd: dir, noCache: true });
    expect(registry.resolve({ name: 'gpt-4o' }).key).toBe('openai:gpt-4o');
    const error = await errorOf(() => registry.resolve({ name: 'groq:llama-3.3-70b' }));
    expect(error.code).toBe('CONFIG_ENV_MISSING');
    expect(error.message).toContain('GROQ_API_KEY');
  });
});
