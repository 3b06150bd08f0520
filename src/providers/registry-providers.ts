import { BASE_URL_EXAMPLES, checkHttpUrl, DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OLLAMA_HOST, DEFAULT_OPENAI_BASE_URL } from './endpoint-url.js';
import type { ChatModel, ChatModelCapabilities, ChatRequest, ChatResponse } from './chat-model.js';
import { missingKeyError } from './missing-key.js';
import type { ProviderError } from './provider-error.js';
import type { ProviderSettings } from './registry-settings.js';

// The provider modules are imported only when a call needs them: each loads its SDK (70-200 ms),
// and most runs use one provider, or none when every answer comes from the cache or a cassette.
// So what a model says about itself before its first call is worked out here, as each provider
// module does it; test/providers/registry/ checks both agree.

/** What a provider's ChatModel says about itself, known without importing its SDK. */
export interface ProviderIdentity {
  provider: string;
  /** `${name} ${url}`: the key of breakers and concurrency limits, shown in start lines. */
  endpoint: string;
  capabilities: ChatModelCapabilities;
}

const FULL_CAPABILITIES: ChatModelCapabilities = { nativeJsonSchema: true, tools: true, streaming: true };

/**
 * The provider, endpoint and capabilities the provider's model will have, and the checks its
 * constructor makes (an OpenAI-compatible base URL must be an http(s) URL: CONFIG_INVALID).
 */
export function describeProvider(settings: ProviderSettings): ProviderIdentity {
  const { name } = settings;
  switch (settings.kind) {
    case 'openai': {
      const baseURL = (settings.baseURL?.trim() || DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
      checkOpenAIBaseURL(baseURL, name);
      return { provider: name, endpoint: `${name} ${baseURL}`, capabilities: { ...FULL_CAPABILITIES, streaming: settings.stream !== false } };
    }
    case 'anthropic': {
      const baseURL = (settings.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
      checkHttpUrl(baseURL, { provider: name, what: 'base URL', example: BASE_URL_EXAMPLES.anthropic });
      return { provider: 'anthropic', endpoint: `${name} ${baseURL}`, capabilities: { ...FULL_CAPABILITIES } };
    }
    case 'ollama': {
      const host = (settings.host?.trim() || DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
      return { provider: 'ollama', endpoint: `${name} ${host}`, capabilities: { ...FULL_CAPABILITIES } };
    }
  }
}

const DEFAULT_URLS: Record<ProviderSettings['kind'], string> = { openai: DEFAULT_OPENAI_BASE_URL, anthropic: DEFAULT_ANTHROPIC_BASE_URL, ollama: DEFAULT_OLLAMA_HOST };

/**
 * Where a provider's calls go when that is not its kind's default server (a configured `base_url`
 * or `host`, `OPENAI_BASE_URL`...), without credentials: part of a cached answer's key, so a cache
 * folder used with two servers under one provider name never answers one's request with the
 * other's answer. Undefined for the default server, so entries made before keep their keys.
 */
export function cacheEndpoint(settings: ProviderSettings): string | undefined {
  const url = describeProvider(settings).endpoint.slice(settings.name.length + 1);
  if (url === DEFAULT_URLS[settings.kind]) return undefined;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/**
 * The PROVIDER_AUTH error the provider's first call would fail with for want of an API key
 * (api.openai.com and Anthropic need one; local and other OpenAI-compatible servers may not).
 */
export function missingKey(settings: ProviderSettings): ProviderError | undefined {
  if (settings.apiKey?.trim()) return undefined;
  const { endpoint } = describeProvider(settings);
  switch (settings.kind) {
    case 'openai': {
      // As createOpenAIClient decides: only OpenAI's own host needs a key.
      const baseURL = endpoint.slice(settings.name.length + 1);
      return new URL(baseURL).hostname === 'api.openai.com' ? missingKeyError(settings.name, endpoint) : undefined;
    }
    case 'anthropic':
      return missingKeyError(settings.name, endpoint);
    case 'ollama':
      return undefined;
  }
}

/** The provider's ChatModel, no wrapping; imports its module (and SDK) the first time one is built. */
export async function loadProvider(settings: ProviderSettings, onWarning?: (message: string) => void): Promise<ChatModel> {
  const { name } = settings;
  switch (settings.kind) {
    case 'openai': {
      const { createOpenAIModel } = await import('./openai/index.js');
      return createOpenAIModel({ name, ...pick(settings, ['apiKey', 'baseURL', 'organization', 'headers', 'stream']) });
    }
    case 'anthropic': {
      const { createAnthropicModel } = await import('./anthropic/index.js');
      return createAnthropicModel({ name, ...pick(settings, ['apiKey', 'baseURL', 'stream', 'defaultMaxTokens']), ...(onWarning ? { onWarning } : {}) });
    }
    case 'ollama': {
      const { createOllamaModel } = await import('./ollama/index.js');
      return createOllamaModel({ name, ...pick(settings, ['host', 'headers', 'stream']) });
    }
  }
}

/**
 * A model whose real model is built by `build` on the first call (once, however many calls start
 * together; again after a failed build). Its identity is known at once, so the layers around it
 * and the start lines of a run need no SDK.
 */
export function deferredModel(identity: ProviderIdentity, build: () => Promise<ChatModel>): ChatModel {
  let pending: Promise<ChatModel> | undefined;
  const model = (): Promise<ChatModel> =>
    (pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
  return {
    ...identity,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      return (await model()).complete(request);
    },
  };
}

/** The same check (and message) as the OpenAI provider's client; providerSettings has checked a configured one, naming its source. */
function checkOpenAIBaseURL(baseURL: string, name: string): void {
  checkHttpUrl(baseURL, { provider: name, what: 'base URL', example: BASE_URL_EXAMPLES.openai });
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
