import { cappedFetch } from '../reply-cap.js';

/**
 * A fetch for one request. The Ollama SDK only aborts streams through `ollama.abort()`, which
 * cancels every stream of that client, and sends non-streaming calls without any signal. Giving
 * each call its own client with this fetch ties the HTTP request (and its body) to the caller's
 * signal alone, so aborting one call never touches a concurrent one. It also keeps the last
 * response, because the SDK's ResponseError drops headers such as `Retry-After`.
 */
export interface RequestFetch {
  fetch: typeof fetch;
  /** The last HTTP response received, when one arrived. */
  lastResponse(): Response | undefined;
}

/** A reply past LIMITS.replyBytes fails instead of filling memory. */
const capped = cappedFetch();

export function createRequestFetch(signal: AbortSignal | undefined, query?: Record<string, string>): RequestFetch {
  let last: Response | undefined;
  const requestFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    // The SDK drops the host's query (`?key=...` of a proxy in front of Ollama): it is added back to each URL.
    if (query && (typeof input === 'string' || input instanceof URL)) input = withQuery(input, query);
    const signals = [init?.signal, signal].filter((value): value is AbortSignal => value instanceof AbortSignal);
    const merged = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await capped(input, { ...init, ...(merged ? { signal: merged } : {}) });
    last = response.ok ? response : await errorAsJson(response);
    return last;
  };
  return { fetch: requestFetch as typeof fetch, lastResponse: () => last };
}

function withQuery(input: string | URL, query: Record<string, string>): URL {
  const url = new URL(input);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/**
 * A failed response as the SDK reads one best, `{"error": "text"}`: given any other body (a proxy's
 * HTML 502, `{"error": {"message": ...}}`), the SDK prints "Getting text from response" on stdout,
 * which breaks `--json`, or shows "[object Object]". Headers (Retry-After) are kept.
 */
async function errorAsJson(response: Response): Promise<Response> {
  const text = await response.text().catch(() => '');
  const type = response.headers.get('content-type') ?? '';
  let message = /html/i.test(type) || text.trim() === '' ? `${response.status} ${response.statusText}`.trim() : text.trim();
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    const said = typeof error === 'string' ? error : typeof error?.message === 'string' ? error.message : body.detail;
    if (typeof said === 'string' && said.trim() !== '') message = said;
  } catch {
    // Not JSON: the text itself (or the status line for a web page) is the message.
  }
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify({ error: message }), { status: response.status, statusText: response.statusText, headers });
}

/** Milliseconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
