export type FetchOutcome = { status: number; body: string; location?: string } | { error: string };

/** One deadline for a whole tool call (every redirect hop included), also ended by the run's signal. */
export interface Deadline {
  signal: AbortSignal;
  seconds: number;
  timedOut(): boolean;
}

export function deadline(seconds: number, runSignal: AbortSignal | undefined): Deadline {
  const timeout = AbortSignal.timeout(seconds * 1000);
  return { signal: runSignal ? AbortSignal.any([runSignal, timeout]) : timeout, seconds, timedOut: () => timeout.aborted };
}

/**
 * One HTTP request without following redirects (the caller checks where they lead), without
 * cookies or credentials, reading at most `maxBodyBytes` of the body.
 */
export async function fetchCapped(url: URL, init: { method: string; headers?: Record<string, string>; body?: string }, maxBodyBytes: number, limit: Deadline): Promise<FetchOutcome> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', credentials: 'omit', signal: limit.signal });
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') ?? undefined : undefined;
    if (location !== undefined) {
      await response.body?.cancel();
      return { status: response.status, body: '', location };
    }
    return { status: response.status, body: await readCapped(response, maxBodyBytes) };
  } catch (error) {
    if (limit.timedOut()) return { error: `no answer within ${limit.seconds} s` };
    if (limit.signal.aborted) return { error: 'the request was stopped (the run was interrupted)' };
    const cause = (error as Error & { cause?: Error }).cause;
    return { error: `the request failed: ${(error as Error).message}${cause?.message ? ` (${cause.message})` : ''}` };
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
