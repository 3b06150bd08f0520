import { blockedPortError } from '../blocked-port.js';
import { ProviderError } from '../provider-error.js';
import { retryAfterMs } from './request-fetch.js';

/** What the error mapper knows about the failed call. */
export interface OllamaCallContext {
  /** Provider name from config (`ollama`, `gpu-box`), for hints that name config keys. */
  name: string;
  host: string;
  endpoint: string;
  model: string;
  signal: AbortSignal | undefined;
  /** The HTTP response, when one arrived (for `Retry-After`). */
  response: Response | undefined;
}

/** Network failures that mean "the server is not there (now)": worth another attempt. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/**
 * Maps whatever the Ollama SDK (or fetch under it) threw to a ProviderError: HTTP statuses from
 * the SDK's ResponseError, connection failures, streams that ended early, and aborts by the
 * caller's signal (a `TimeoutError` reason is the per-call timeout).
 */
export function toProviderError(error: unknown, context: OllamaCallContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { endpoint, host } = context;
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new ProviderError('PROVIDER_TIMEOUT', `Ollama at ${host} did not answer in time (model ${context.model})`, {
        endpoint, retryable: true, cause: error, hint: 'raise the provider timeout, or use a smaller model',
      });
    }
    return new ProviderError('PROVIDER_UNAVAILABLE', `the call to Ollama at ${host} was aborted`, { endpoint, retryable: false, cause: error });
  }
  const blocked = blockedPortError(error, host, `OLLAMA_HOST (or providers.${context.name}.host)`, endpoint);
  if (blocked) return blocked;
  const status = responseStatus(error);
  if (status !== undefined) return fromStatus(status, errorText(error), context, retryAfterMs(context.response?.headers), error);
  const connectionCode = findConnectionCode(error);
  if (connectionCode && !context.response) {
    return new ProviderError('PROVIDER_UNAVAILABLE', `cannot reach Ollama at ${host} (${connectionCode})`, {
      endpoint, retryable: true, cause: error, hint: 'start it with `ollama serve` or set OLLAMA_HOST',
    });
  }
  const detail = connectionCode ?? errorText(error);
  return new ProviderError('PROVIDER_UNAVAILABLE', `Ollama at ${host} ended the reply early (${detail})`, {
    endpoint, retryable: true, cause: error, hint: 'the server may have restarted or run out of memory',
  });
}

function fromStatus(status: number, text: string, context: OllamaCallContext, retryAfter: number | undefined, cause: unknown): ProviderError {
  const { endpoint, host, model, name } = context;
  const base = { endpoint, status, cause };
  if (status === 404) {
    const missing = /model\s+['"]?([^'"\s]+)['"]?\s+not found/i.exec(text)?.[1];
    if (missing) {
      return new ProviderError('PROVIDER_NOT_FOUND', `Ollama at ${host}: model '${missing}' not found`, {
        ...base, retryable: false, hint: `run \`ollama pull ${missing}\``,
      });
    }
    return new ProviderError('PROVIDER_NOT_FOUND', `Ollama at ${host} answered 404 for model '${model}': ${text}`, {
      ...base, retryable: false, hint: `check the host (OLLAMA_HOST or providers.${name}.host) and the model name`,
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError('PROVIDER_AUTH', `Ollama at ${host} refused the request (${status}): ${text}`, {
      ...base, retryable: false, hint: `Ollama itself needs no key; a proxy in front of it may: set providers.${name}.headers`,
    });
  }
  if (status === 429) {
    return new ProviderError('PROVIDER_RATE_LIMITED', `Ollama at ${host} is rate limiting (429): ${text}`, {
      ...base, retryable: true, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderError('PROVIDER_UNAVAILABLE', `Ollama at ${host} failed (${status}): ${text}`, {
      ...base, retryable: true, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    });
  }
  // `registry.ollama.ai/library/gemma:2b does not support tools`: the model has no tool template.
  const hint = /does not support tools/i.test(text)
    ? `model '${model}' cannot call tools: choose one that can (https://ollama.com/search?c=tools), or remove the action's tools`
    : `check the model '${model}' supports this request (structured output needs Ollama 0.5+)`;
  return new ProviderError('PROVIDER_BAD_REQUEST', `Ollama at ${host} rejected the request (${status}): ${text}`, { ...base, retryable: false, hint });
}

/** The SDK's ResponseError is not exported: recognise it by shape. */
function responseStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ResponseError') return undefined;
  const status = (error as Error & { status_code?: unknown }).status_code;
  return typeof status === 'number' ? status : undefined;
}

function findConnectionCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
