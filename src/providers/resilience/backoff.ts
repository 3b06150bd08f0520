export interface BackoffSettings {
  minDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1); Math.random by default. */
  random?: () => number;
}

/**
 * The wait before retry number `retryIndex` (0-based): p-retry's formula (factor 2, randomized by
 * a factor in [1, 2)), at least the server's `Retry-After`, never more than `maxDelayMs`.
 * Computed here rather than inside p-retry because p-retry can neither honour a per-error minimum
 * nor use an injected sleep.
 */
export function retryDelayMs(retryIndex: number, retryAfterMs: number | undefined, settings: BackoffSettings): number {
  const jitter = 1 + (settings.random ?? Math.random)();
  const backoff = Math.round(jitter * settings.minDelayMs * 2 ** retryIndex);
  return Math.min(settings.maxDelayMs, Math.max(retryAfterMs ?? 0, backoff));
}
