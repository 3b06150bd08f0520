/**
 * Limits an endpoint shares with other processes (every worker of a queue, `src/queue/`): how many
 * calls may be in flight and how fast they may start, across all of them, and a `Retry-After` one
 * of them was told, which then holds for everyone.
 */
export interface SharedEndpointLimits {
  /** Waits for a turn to call the endpoint; returns what ends the turn (call it once the call is over). */
  acquire(endpoint: string, signal?: AbortSignal): Promise<() => void>;
  /** Nobody calls the endpoint for this long (the endpoint answered with `Retry-After`). */
  pause(endpoint: string, ms: number): void;
}
