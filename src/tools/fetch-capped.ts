import { capHead, capOutput } from './output-cap.js';
import type { MaskParts } from './types.js';

export type FetchOutcome = { status: number; body: string; location?: string; cut?: BodyCut } | { error: string };

/** A body read only up to the cap: how much was read, and its whole size when the server said it. */
export interface BodyCut {
  readBytes: number;
  /** `Content-Length`, when the body is not compressed (a compressed one's says the compressed size). */
  totalBytes?: number;
}

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
    const { text, readBytes, complete } = await readCapped(response, maxBodyBytes);
    if (complete) return { status: response.status, body: text };
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const encoding = response.headers.get('content-encoding');
    // `>=`: a body that came whole in the chunk that crossed the cap (a short one sent at once) still has its size said.
    const known = Number.isSafeInteger(length) && length >= readBytes && (encoding === null || encoding === 'identity');
    return { status: response.status, body: text, cut: { readBytes, ...(known ? { totalBytes: length } : {}) } };
  } catch (error) {
    if (limit.timedOut()) return { error: `no answer within ${limit.seconds} s` };
    if (limit.signal.aborted) return { error: 'the request was stopped (the run was interrupted)' };
    const cause = (error as Error & { cause?: Error }).cause;
    return { error: `the request failed: ${(error as Error).message}${cause?.message ? ` (${cause.message})` : ''}` };
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; readBytes: number; complete: boolean }> {
  if (!response.body) return { text: '', readBytes: 0, complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), readBytes: size, complete: true };
    chunks.push(value);
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), readBytes: size, complete: false };
    }
  }
}

/**
 * An HTTP answer as a tool's model reads it: `HTTP <status>`, then the body within the output cap.
 * A body read whole keeps its head and tail with the exact count cut between; one read only up to
 * the cap keeps its head (the tail read is not the body's end) and says how much was cut: exactly
 * when `Content-Length` gave the size, else at least what was read past the head. `mask` masks
 * the body before any cut (the counts are of the body as it came).
 */
export function httpToolContent(response: { status: number; body: string; cut?: BodyCut }, maxOutputBytes: number, mask?: MaskParts): string {
  const text = `HTTP ${response.status}\n${response.body}`;
  const { cut } = response;
  if (cut === undefined) return capOutput(text, maxOutputBytes, mask);
  const headerBytes = Buffer.byteLength(`HTTP ${response.status}\n`, 'utf8');
  return capHead(text, maxOutputBytes, (shownBytes) => {
    const bodyShown = Math.max(0, shownBytes - headerBytes);
    return cut.totalBytes === undefined
      ? `[... cut after ${bodyShown} bytes of the body: at least ${cut.readBytes - bodyShown} bytes more ...]`
      : `[... ${cut.totalBytes - bodyShown} bytes cut: the body is ${cut.totalBytes} bytes ...]`;
  }, mask);
}
