/**
 * Maps what the OpenAI SDK throws to ProviderError (table in docs/providers.md). Messages name the
 * endpoint and model and say what to check; they never contain the API key: server text is
 * redacted, and SDK errors that carry server text are not attached as `cause`.
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { blockedPortError } from '../blocked-port.js';
import { ProviderError } from '../provider-error.js';

export interface ErrorContext {
  /** Provider name as configured (`openai`, `groq`, ...). */
  name: string;
  endpoint: string;
  baseURL: string;
  model: string;
  apiKey: string | undefined;
  signal: AbortSignal | undefined;
}

/** The error to throw for `error`, raised while calling the SDK. Unknown errors pass through. */
export function toProviderError(error: unknown, context: ErrorContext): unknown {
  if (context.signal?.aborted) return abortError(context);
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError) return unavailable(context, `the call to ${context.endpoint} was aborted`, error);
  if (error instanceof APIConnectionTimeoutError) return timeoutError(context, error);
  if (error instanceof APIConnectionError) {
    const blocked = blockedPortError(error, context.baseURL, baseURLSetting(context.name), context.endpoint);
    if (blocked) return blocked;
    return new ProviderError('PROVIDER_UNAVAILABLE', `cannot reach ${context.baseURL}${connectionDetail(error, context)}`, {
      endpoint: context.endpoint,
      retryable: true,
      hint: `check that the server is running and that ${baseURLSetting(context.name)} is right`,
      cause: error,
    });
  }
  if (error instanceof APIError) return fromStatus(error, context);
  if (error instanceof OpenAIError) return unavailable(context, `the OpenAI SDK failed: ${redact(error.message, context)}`, error);
  return error;
}

/**
 * Errors while reading a reply body (socket dropped, half a JSON document) are not SDK errors;
 * they mean the reply was cut short, which another attempt may fix.
 */
export function toTransportError(error: unknown, context: ErrorContext, what: string): unknown {
  if (context.signal?.aborted || error instanceof OpenAIError || error instanceof ProviderError) return error;
  const reason = error instanceof Error ? `: ${redact(error.message, context)}` : '';
  return unavailable(context, `${what}${reason}`, error);
}

/** The caller's signal fired: its own time limit becomes PROVIDER_TIMEOUT; any other abort is passed on. */
export function abortError(context: ErrorContext): unknown {
  const reason: unknown = context.signal?.reason;
  if (isTimeoutReason(reason)) return timeoutError(context, reason);
  return reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function unavailable(context: ErrorContext, message: string, cause?: unknown): ProviderError {
  return new ProviderError('PROVIDER_UNAVAILABLE', message, { endpoint: context.endpoint, retryable: true, cause });
}

function fromStatus(error: APIError, context: ErrorContext): ProviderError {
  const { endpoint, model, name } = context;
  const status = error.status;
  const said = serverSaid(error, context);
  if (status === undefined) {
    // An error event inside an SSE stream: the server failed after it started answering.
    return new ProviderError('PROVIDER_UNAVAILABLE', `${endpoint} reported an error while streaming${said}`, { endpoint, retryable: true });
  }
  const base = { endpoint, status };
  if (status === 401 || status === 403) {
    return new ProviderError('PROVIDER_AUTH', `the API key was refused by ${endpoint} (${status}${said})`, {
      ...base,
      retryable: false,
      hint: keyHint(context),
    });
  }
  if (status === 404) {
    // Without the server's words, a 404 may as well mean that no API lives at that path.
    const message = said
      ? `model \`${model}\` not found at ${context.baseURL} (404${said})`
      : `${context.baseURL}/chat/completions answered 404 for model \`${model}\`: no such model, or no chat completions API at that URL`;
    return new ProviderError('PROVIDER_NOT_FOUND', message, { ...base, retryable: false, hint: notFoundHint(context) });
  }
  if (status === 429) {
    return new ProviderError('PROVIDER_RATE_LIMITED', `${endpoint} is rate limiting calls to \`${model}\` (429${said})`, {
      ...base,
      retryable: true,
      retryAfterMs: retryAfterMs(error.headers),
      hint: `lower providers.${name}.max_concurrency, or wait: calls are retried after the delay the server asks for`,
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderError('PROVIDER_UNAVAILABLE', `${endpoint} failed to answer \`${model}\` (${status}${said})`, {
      ...base,
      retryable: true,
      retryAfterMs: retryAfterMs(error.headers),
    });
  }
  return new ProviderError('PROVIDER_BAD_REQUEST', `${endpoint} rejected the request for \`${model}\` (${status}${said})`, {
    ...base,
    retryable: false,
    hint: 'check the model parameters (temperature, max tokens) and whether this model supports JSON Schema output',
  });
}

function timeoutError(context: ErrorContext, cause: unknown): ProviderError {
  return new ProviderError('PROVIDER_TIMEOUT', `\`${context.model}\` at ${context.endpoint} did not answer within the call's time limit`, {
    endpoint: context.endpoint,
    retryable: true,
    hint: `raise providers.${context.name}.timeout, or check that the server is not overloaded`,
    cause,
  });
}

function isTimeoutReason(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}

/** `Retry-After-Ms` (OpenAI's, milliseconds) wins over `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `: <server message>` (redacted, one line, bounded), or nothing. */
function serverSaid(error: APIError, context: ErrorContext): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  const oneLine = redact(message, context).replace(/\s+/g, ' ').trim();
  if (!oneLine) return '';
  return `: ${oneLine.length > 300 ? `${oneLine.slice(0, 300)}...` : oneLine}`;
}

/** fetch wraps the socket error: `fetch failed` ← `connect ECONNREFUSED 127.0.0.1:8000`. */
function connectionDetail(error: APIConnectionError, context: ErrorContext): string {
  const fetchError = error.cause as { message?: unknown; cause?: { message?: unknown } } | undefined;
  const detail = fetchError?.cause?.message ?? fetchError?.message;
  return typeof detail === 'string' && detail && detail !== 'fetch failed' ? ` (${redact(detail, context)})` : '';
}

/**
 * Servers put the API under a version segment (`/v1`; OpenRouter `/api/v1`, Groq `/openai/v1`): a
 * base URL without one (`http://localhost:8000`, as vLLM prints its address) is the usual 404.
 */
function notFoundHint({ name, baseURL }: ErrorContext): string {
  const check = `check the model name and ${baseURLSetting(name)}`;
  let path: string;
  try {
    path = new URL(baseURL).pathname;
  } catch {
    return check;
  }
  if (/\/v\d/.test(path)) return check;
  return `${check}: the base URL has no /v1, where OpenAI-compatible servers (vLLM, LM Studio, llama.cpp, Ollama) answer; try ${baseURL}/v1`;
}

/** Where the refused key was set: without an api_key, a server's own key header (Azure's `api-key`) in `headers` is what it read. */
function keyHint({ name, apiKey }: ErrorContext): string {
  if (name === 'openai') return 'check OPENAI_API_KEY (or providers.openai.api_key)';
  return apiKey ? `check providers.${name}.api_key` : `check the key header in providers.${name}.headers, or set providers.${name}.api_key (none is set)`;
}

function baseURLSetting(name: string): string {
  return name === 'openai' ? 'OPENAI_BASE_URL (or providers.openai.base_url)' : `providers.${name}.base_url`;
}

/** Servers sometimes echo the key they refused; it must not reach a message. */
function redact(text: string, context: Pick<ErrorContext, 'apiKey'>): string {
  const key = context.apiKey;
  return key && key.length >= 4 ? text.split(key).join('***') : text;
}
