/**
 * Builds the OpenAI SDK client for one configured provider (`openai`, `groq`, a local vLLM, ...).
 * Everything comes from the options: the SDK's own environment fallbacks (OPENAI_API_KEY,
 * OPENAI_BASE_URL, OPENAI_ADMIN_KEY, ...) are switched off so the config layer stays the one place
 * that reads the environment and a stray variable never redirects another provider's calls.
 */

import OpenAI from 'openai';
import { BASE_URL_EXAMPLES, checkHttpUrl, DEFAULT_OPENAI_BASE_URL, splitQuery } from '../endpoint-url.js';
import { SDK_NO_TIMEOUT_MS } from '../chat-model.js';
import { cappedFetch } from '../reply-cap.js';

/** Sent to keyless local servers: the SDK refuses to run without some credential. */
const PLACEHOLDER_KEY = 'sop-no-key';

export interface OpenAIClientOptions {
  name: string;
  apiKey?: string;
  baseURL?: string;
  organization?: string;
  headers?: Record<string, string>;
}

export interface OpenAIClient {
  client: OpenAI;
  /** Without a trailing slash nor the query, e.g. `https://api.openai.com/v1`: messages add paths to it. */
  baseURL: string;
  /** `${name} ${base URL as given}` (with its query): the key of breakers and concurrency limits. */
  endpoint: string;
  /** True when the endpoint needs a key (api.openai.com) and none was given. */
  missingKey: boolean;
}

export function createOpenAIClient(options: OpenAIClientOptions): OpenAIClient {
  const baseURL = (options.baseURL?.trim() || DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
  const url = parseBaseURL(baseURL, options.name);
  const apiKey = options.apiKey?.trim() || undefined;
  const { base, query } = splitQuery(baseURL);
  const client = new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_KEY,
    adminAPIKey: null,
    organization: options.organization ?? null,
    project: null,
    webhookSecret: null,
    baseURL: base,
    ...(query ? { defaultQuery: query } : {}),
    defaultHeaders: options.headers,
    // Retries, timeouts and breakers are the resilience layer's job; the caller's signal rules.
    maxRetries: 0,
    timeout: SDK_NO_TIMEOUT_MS,
    // Failures are mapped to ProviderError; the SDK must not print (its logs may echo replies).
    logLevel: 'off',
    // A reply past LIMITS.replyBytes fails instead of filling memory.
    fetch: cappedFetch(),
  });
  return {
    client,
    baseURL: base,
    endpoint: `${options.name} ${baseURL}`,
    missingKey: apiKey === undefined && url.hostname === 'api.openai.com',
  };
}

function parseBaseURL(baseURL: string, name: string): URL {
  return checkHttpUrl(baseURL, { provider: name, what: 'base URL', example: BASE_URL_EXAMPLES.openai });
}
