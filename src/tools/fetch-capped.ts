import type { ToolLimits } from './types.js';

export type FetchOutcome = { status: number; body: string; location?: string } | { error: string };

/**
 * One HTTP request without following redirects (the caller checks where they lead), with the
 * tool timeout and the run's signal, reading at most four times the output cap of the body.
 */
export async function fetchCapped(url: URL, init: { method: string; headers?: Record<string, string>; body?: string }, limits: ToolLimits, signal: AbortSignal | undefined): Promise<FetchOutcome> {
  const timeout = AbortSignal.timeout(limits.timeoutSeconds * 1000);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', credentials: 'omit', signal: combined });
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') ?? undefined : undefined;
    if (location !== undefined) {
      await response.body?.cancel();
      return { status: response.status, body: '', location };
    }
    return { status: response.status, body: await readCapped(response, limits.maxOutputBytes * 4) };
  } catch (error) {
    if (timeout.aborted) return { error: `no answer within ${limits.timeoutSeconds} s` };
    return { error: `the request failed: ${(error as Error).message}` };
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
