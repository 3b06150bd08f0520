import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { blockedPortError } from '../blocked-port.js';
import { ProviderError, type ProviderErrorCode } from '../provider-error.js';

/** What an error message may name: never the key, which is only used to mask it. */
export interface ErrorContext {
  endpoint: string;
  baseURL: string;
  model: string;
  apiKey: string;
  signal: AbortSignal | undefined;
}

const KEY_VARIABLE = 'ANTHROPIC_API_KEY';

/**
 * Maps whatever the SDK threw to a ProviderError (docs/providers.md, Errors). A caller's abort with a
 * TimeoutError reason is PROVIDER_TIMEOUT; any other abort is the caller's own and is rethrown as is.
 */
export function toProviderError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ProviderError) return error;
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return fail('PROVIDER_TIMEOUT', `the call to ${context.endpoint} timed out`, context, { retryable: true, cause: error });
    }
    return reason ?? error;
  }
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return fail('PROVIDER_TIMEOUT', `the call to ${context.endpoint} timed out`, context, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    const blocked = blockedPortError(error, context.baseURL, 'the provider\'s base_url', context.endpoint);
    if (blocked) return blocked;
    return fail('PROVIDER_UNAVAILABLE', `cannot reach ${context.endpoint}: ${mask(causeText(error), context)}`, context, {
      retryable: true,
      cause: error,
      hint: `check that ${context.baseURL} is reachable`,
    });
  }
  if (error instanceof APIError) return fromApiError(error, context);
  // Anything else (a broken stream, a body that is not JSON) means the answer did not arrive whole.
  const text = error instanceof Error ? error.message : String(error);
  return fail('PROVIDER_UNAVAILABLE', `${context.endpoint} sent an incomplete answer: ${mask(text, context)}`, context, { retryable: true, cause: error });
}

function fromApiError(error: APIError, context: ErrorContext): ProviderError {
  const status = error.status;
  const detail = mask(error.apiMessage ?? error.message, context);
  const options = { status, cause: error };
  const code = codeFor(status, error.type);
  switch (code) {
    case 'PROVIDER_AUTH':
      return fail(code, `${context.endpoint} rejected the API key (${detail})`, context, {
        ...options,
        retryable: false,
        hint: keyHint(context.endpoint),
      });
    case 'PROVIDER_NOT_FOUND':
      return fail(code, `model "${context.model}" not found at ${context.endpoint} (${detail})`, context, {
        ...options,
        retryable: false,
        hint: `check the model name "${context.model}" and the base URL ${context.baseURL}`,
      });
    case 'PROVIDER_RATE_LIMITED':
      return fail(code, `${context.endpoint} rate-limited the call (${detail})`, context, {
        ...options,
        retryable: true,
        retryAfterMs: retryAfterMs(error.headers),
      });
    case 'PROVIDER_UNAVAILABLE':
      return fail(code, `${context.endpoint} is unavailable (${detail})`, context, { ...options, retryable: true, retryAfterMs: retryAfterMs(error.headers) });
    default:
      return fail('PROVIDER_BAD_REQUEST', `${context.endpoint} rejected the request (${detail})`, context, { ...options, retryable: false });
  }
}

/** By HTTP status; an `error` event inside a stream has no status, only the error type. */
function codeFor(status: number | undefined, type: string | null): ProviderErrorCode {
  if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') return 'PROVIDER_AUTH';
  if (status === 404 || type === 'not_found_error') return 'PROVIDER_NOT_FOUND';
  if (status === 429 || type === 'rate_limit_error') return 'PROVIDER_RATE_LIMITED';
  if (status === 408 || status === 409 || (status !== undefined && status >= 500)) return 'PROVIDER_UNAVAILABLE';
  if (status === undefined && (type === 'overloaded_error' || type === 'api_error' || type === 'timeout_error' || type === null)) return 'PROVIDER_UNAVAILABLE';
  return 'PROVIDER_BAD_REQUEST';
}

/** `retry-after-ms` (milliseconds) wins over `retry-after` (seconds or an HTTP date). */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function fail(
  code: ProviderErrorCode,
  message: string,
  context: ErrorContext,
  options: { retryable: boolean; retryAfterMs?: number | undefined; status?: number | undefined; hint?: string; cause?: unknown },
): ProviderError {
  return new ProviderError(code, message, {
    endpoint: context.endpoint,
    retryable: options.retryable,
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.hint ? { hint: options.hint } : {}),
    cause: options.cause,
  });
}

function causeText(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} ${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : error.message;
}

/** A server may echo what it was sent; the key never leaves in a message. */
function mask(text: string, context: ErrorContext): string {
  return context.apiKey ? text.split(context.apiKey).join('***') : text;
}

/** Where the refused key was set: ANTHROPIC_API_KEY feeds only the built-in `anthropic`; another name has its own api_key. */
function keyHint(endpoint: string): string {
  const name = endpoint.split(' ')[0];
  return name === 'anthropic' ? `check ${KEY_VARIABLE} (or providers.anthropic.api_key)` : `check providers.${name}.api_key`;
}
