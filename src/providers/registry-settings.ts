import { SopError } from '../errors/index.js';
import { BASE_URL_EXAMPLES, checkHttpUrl, shownUrl, urlSource, type UrlSource } from './endpoint-url.js';

/** Provider names that exist without configuration; each is also the protocol (`kind`) of its own. */
export const BUILTIN_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;

type ProviderKind = (typeof BUILTIN_PROVIDERS)[number];

/** An alias from config `models:`: a reference, or one with parameters. */
export type AliasTarget = string | { model: string; temperature?: number; max_tokens?: number };

/**
 * What the registry reads from the configuration. `ResolvedConfig` (src/config) satisfies it; the
 * providers layer does not import the config layer.
 */
export interface RegistryConfig {
  readonly data: Readonly<{
    default_model?: string;
    default_provider?: string;
    models?: Readonly<Record<string, AliasTarget>>;
    prices?: Readonly<Record<string, { input: number; output: number }>>;
    cache?: Readonly<{ enabled?: boolean; dir?: string }>;
  }>;
  /** The raw value at a key path. */
  get(path: readonly string[]): unknown;
  /** A string with `${env:NAME}` expanded (CONFIG_ENV_MISSING when unset). */
  string(path: readonly string[]): string | undefined;
  /** A mapping of strings (headers), each expanded. */
  strings(path: readonly string[]): Record<string, string> | undefined;
  /** `default`, `file:line`, `env:NAME`, `flag:--model`. */
  sourceOf(path: readonly string[]): string | undefined;
  /** Configured provider names. */
  providerNames(): string[];
  /** Secret values in use. */
  secrets(): string[];
}

/** Defaults of the resilience layer per provider. */
export const DEFAULT_TIMEOUT_SECONDS = 120;
export const DEFAULT_MAX_RETRIES = 4;
/** First wait before a retry (doubled each retry, with jitter) and the cap of any wait, in seconds. */
const DEFAULT_MIN_DELAY_SECONDS = 0.5;
const DEFAULT_MAX_DELAY_SECONDS = 30;
const OLLAMA_PORT = 11434;

/** Everything needed to build (or probe) one provider, `${env:NAME}` expanded. */
export interface ProviderSettings {
  name: string;
  kind: ProviderKind;
  apiKey?: string;
  baseURL?: string;
  organization?: string;
  /** Ollama: a full URL (`http://127.0.0.1:11434`). */
  host?: string;
  headers?: Record<string, string>;
  stream?: boolean;
  defaultMaxTokens?: number;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff before a retry (before jitter). */
  minDelayMs: number;
  /** Cap of any wait before a retry, `Retry-After` included. */
  maxDelayMs: number;
  maxConcurrency?: number;
  breaker?: { failureThreshold?: number; resetAfterMs?: number };
}

/** Built-in providers and configured ones, in that order. */
export function knownProviders(config: RegistryConfig): string[] {
  return [...new Set<string>([...BUILTIN_PROVIDERS, ...config.providerNames()])];
}

/**
 * A provider's settings from the merged configuration. Reading `${env:NAME}` happens here, so a
 * missing variable only fails the providers that are used (CONFIG_ENV_MISSING names it).
 */
export function providerSettings(config: RegistryConfig, name: string): ProviderSettings {
  const path = (...keys: string[]): string[] => ['providers', name, ...keys];
  const builtin = (BUILTIN_PROVIDERS as readonly string[]).includes(name);
  const kind = (config.get(path('kind')) as ProviderKind | undefined) ?? (builtin ? (name as ProviderKind) : undefined);
  if (kind === undefined) {
    throw new SopError('PROVIDER_UNKNOWN', `unknown provider \`${name}\``, { hint: `configure it under providers.${name} with a kind` });
  }
  const number = (key: string): number | undefined => {
    const value = config.get(path(key));
    return typeof value === 'number' ? value : undefined;
  };
  const breaker = config.get(path('breaker')) as { failure_threshold?: number; reset_after?: number } | undefined;
  const host = config.string(path('host'));
  const baseURL = config.string(path('base_url'));
  // Named in a bad URL's message: OPENAI_BASE_URL, or the field and the file it is written in.
  const sourceOf = (key: string): UrlSource | undefined => urlSource(config.sourceOf(path(key)), path(key).join('.'), config.get(path(key)));
  if (kind !== 'ollama' && baseURL?.trim()) {
    checkHttpUrl(baseURL.trim(), { provider: name, what: 'base URL', example: BASE_URL_EXAMPLES[kind], source: sourceOf('base_url'), refuseCredentials: true });
  }
  const stream = config.get(path('stream'));
  return dropUndefined({
    name,
    kind,
    apiKey: config.string(path('api_key')),
    baseURL,
    organization: config.string(path('organization')),
    host: kind === 'ollama' ? normalizeOllamaHost(host, name, sourceOf('host')) : undefined,
    headers: config.strings(path('headers')),
    stream: typeof stream === 'boolean' ? stream : undefined,
    defaultMaxTokens: number('default_max_tokens'),
    timeoutMs: (number('timeout') ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxRetries: number('max_retries') ?? DEFAULT_MAX_RETRIES,
    minDelayMs: (number('min_delay') ?? DEFAULT_MIN_DELAY_SECONDS) * 1000,
    maxDelayMs: (number('max_delay') ?? DEFAULT_MAX_DELAY_SECONDS) * 1000,
    maxConcurrency: number('max_concurrency'),
    breaker: breaker
      ? dropUndefined({
          failureThreshold: breaker.failure_threshold,
          resetAfterMs: breaker.reset_after === undefined ? undefined : breaker.reset_after * 1000,
        })
      : undefined,
  });
}

/**
 * OLLAMA_HOST as Ollama reads it: `host:port`, `host` or a URL; no scheme means http, no port
 * (without a scheme) means 11434, `0.0.0.0` (a listen address) means this machine. Anything but
 * http(s) is CONFIG_INVALID naming where the value was set (`source`).
 */
function normalizeOllamaHost(value: string | undefined, provider = 'ollama', source?: UrlSource): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text.startsWith(':') ? `127.0.0.1${text}` : text}`);
  } catch {
    throw new SopError('CONFIG_INVALID', `invalid Ollama host \`${shownUrl(text)}\`${source ? ` (from ${source.where})` : ''}`, {
      hint: `${source ? source.fix : 'write OLLAMA_HOST or providers.ollama.host as'} host:port or http://host:port`,
    });
  }
  checkHttpUrl(hasScheme ? text : url.href, { provider, what: 'host', example: 'http://127.0.0.1:11434 or 127.0.0.1:11434', source, refuseCredentials: true });
  if (!hasScheme && url.port === '') url.port = String(OLLAMA_PORT);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  return url.toString().replace(/\/+$/, '');
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
