import type { RunEvent, RunEventBody } from './events.js';

/**
 * Collects events in a tree of scopes so the log is in a reproducible order whatever the timing:
 * work that runs concurrently (roles in a round, foreach items) gets a child scope created in
 * declaration order, and a flush writes scopes in creation order, not completion order.
 * Live listeners see each event as it happens.
 */
export class EventScope {
  private events: RunEvent[] = [];
  /** Child scopes in creation order, and how many of this scope's events came before each (absent until one is made). */
  private scopes: EventScope[] | undefined;
  private scopesAt: number[] | undefined;

  constructor(
    private readonly timestamp: () => string,
    private readonly live: (event: RunEvent) => void,
    /** Applied to every event before it is kept or shown (secret masking). */
    private readonly prepare?: (event: RunEvent) => RunEvent,
  ) {}

  /** Stamps `body` with the time and keeps it: every caller builds a fresh body, so it becomes the event (no copy). */
  emit(body: RunEventBody): void {
    let event = body as RunEvent;
    event.time = this.timestamp();
    if (this.prepare) event = this.prepare(event);
    this.events.push(event);
    this.live(event);
  }

  /** A scope whose events are placed here, however late they arrive. */
  child(): EventScope {
    const scope = new EventScope(this.timestamp, this.live, this.prepare);
    (this.scopes ??= []).push(scope);
    (this.scopesAt ??= []).push(this.events.length);
    return scope;
  }

  /** Every event so far, in scope order; the scope is emptied. */
  drain(): RunEvent[] {
    const out: RunEvent[] = [];
    this.collect(out);
    return out;
  }

  /**
   * Events and child scopes are kept apart, so collecting never reads an event (a wide round's
   * thousands, allocated over its calls, are far apart in memory: telling each from a scope was
   * most of the drain between the round's end and the next call).
   */
  private collect(out: RunEvent[]): void {
    const { events, scopes, scopesAt } = this;
    let next = 0;
    if (scopes && scopesAt) {
      for (let index = 0; index < scopes.length; index += 1) {
        const at = scopesAt[index] as number;
        while (next < at) out.push(events[next++] as RunEvent);
        (scopes[index] as EventScope).collect(out);
      }
    }
    while (next < events.length) out.push(events[next++] as RunEvent);
    this.events = [];
    this.scopes = undefined;
    this.scopesAt = undefined;
  }
}

/**
 * ISO timestamps from the run's clock, in milliseconds since the epoch. Formatting a date costs
 * more than the rest of an event, and a fast run emits dozens per millisecond: events of the same
 * millisecond share one string (and without a clock of the caller's, no Date is made for them).
 */
export function isoTimestamps(nowMs: () => number): () => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return () => {
    const ms = nowMs();
    if (ms !== lastMs) {
      lastMs = ms;
      lastText = new Date(ms).toISOString();
    }
    return lastText;
  };
}
