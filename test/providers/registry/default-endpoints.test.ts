import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../../src/providers/anthropic/index.js';
import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OLLAMA_HOST, DEFAULT_OPENAI_BASE_URL } from '../../../src/providers/endpoint-url.js';
import { createOllamaModel } from '../../../src/providers/ollama/index.js';
import { createOpenAIModel } from '../../../src/providers/openai/index.js';
import { describeProvider } from '../../../src/providers/registry-providers.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_SECONDS, type ProviderSettings } from '../../../src/providers/registry-settings.js';

const srcRoot = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const settings = (kind: ProviderSettings['kind']): ProviderSettings => ({ name: kind, kind, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, maxRetries: DEFAULT_MAX_RETRIES, minDelayMs: 500, maxDelayMs: 30_000 });

describe("each kind of provider's default server", () => {
  it('is written once in src/, in endpoint-url.ts (a module that loads no SDK)', () => {
    const definitions = sourceFiles(srcRoot).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^export const (DEFAULT_\w+|\w+_BASE_URL|\w+_HOST) = '(https?:[^']+)'/gm)].map((match) => `${path.relative(srcRoot, file)} ${match[1]}`),
    );
    expect(definitions.sort()).toEqual(['providers/endpoint-url.ts DEFAULT_ANTHROPIC_BASE_URL', 'providers/endpoint-url.ts DEFAULT_OLLAMA_HOST', 'providers/endpoint-url.ts DEFAULT_OPENAI_BASE_URL']);
    expect(readFileSync(path.join(srcRoot, 'providers', 'endpoint-url.ts'), 'utf8')).not.toMatch(/from '(openai|@anthropic-ai\/sdk|ollama)'/);
  });

  it('is where both the registry and the built model say calls go when none is set', () => {
    expect(describeProvider(settings('openai')).endpoint).toBe(`openai ${DEFAULT_OPENAI_BASE_URL}`);
    expect(createOpenAIModel({ name: 'openai', apiKey: 'sk-test' }).endpoint).toBe(`openai ${DEFAULT_OPENAI_BASE_URL}`);
    expect(describeProvider(settings('anthropic')).endpoint).toBe(`anthropic ${DEFAULT_ANTHROPIC_BASE_URL}`);
    expect(createAnthropicModel({ name: 'anthropic', apiKey: 'sk-test' }).endpoint).toBe(`anthropic ${DEFAULT_ANTHROPIC_BASE_URL}`);
    expect(describeProvider(settings('ollama')).endpoint).toBe(`ollama ${DEFAULT_OLLAMA_HOST}`);
    expect(createOllamaModel({ name: 'ollama' }).endpoint).toBe(`ollama ${DEFAULT_OLLAMA_HOST}`);
  });
});
