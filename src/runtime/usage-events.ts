import { UsageTracker, type PlacedCall, type UsageChanges, type UsageSnapshot } from './usage.js';

/**
 * A round's usage changes, rebuilt from its `llm-call-end` events. Most rounds change usage only
 * by their answered calls, and each call's event says what the tracker counted; the round-commit
 * then leaves its usage out (it was ~400 bytes a round) and a resume rebuilds it from the events.
 * The writer leaves it out only when the events say exactly what was counted (`usageFollowsEvents`),
 * so the rebuilt changes are the recorded ones.
 */

/** An event as this module reads it (a live `RunEvent` or a line read back from the journal). */
type EventLike = { type: string } & Record<string, unknown>;

const NO_LIMITS = { maxTokens: undefined, investment: undefined };

/** The call an `llm-call-end` event reports, as the tracker counts it; undefined for other events and for an end without its fields. */
function callOfEvent(event: EventLike): PlacedCall | 'malformed' | undefined {
  if (event.type !== 'llm-call-end') return undefined;
  const { role, action, model, promptTokens, completionTokens, estimated, costUsd, cached } = event;
  if (typeof role !== 'string' || typeof model !== 'string' || typeof promptTokens !== 'number' || typeof completionTokens !== 'number' || typeof estimated !== 'boolean') return 'malformed';
  if ((action !== undefined && typeof action !== 'string') || (costUsd !== undefined && typeof costUsd !== 'number')) return 'malformed';
  return { role, action, call: { modelKey: model, usage: { promptTokens, completionTokens, estimated }, costUsd, cached: cached !== undefined } };
}

/** True when `events` report exactly `calls` (the tracker's, in order): their usage changes can be rebuilt from them. */
export function usageFollowsEvents(calls: readonly PlacedCall[] | undefined, events: readonly EventLike[]): boolean {
  if (!calls) return false;
  let next = 0;
  for (const event of events) {
    const reported = callOfEvent(event);
    if (reported === undefined) continue;
    if (reported === 'malformed' || next >= calls.length || !sameCall(reported, calls[next] as PlacedCall)) return false;
    next += 1;
  }
  return next === calls.length;
}

/**
 * The usage changes the `llm-call-end` events of a round make to `before` (the usage at the
 * boundary before it), as the tracker gives them (`takeChanges`); undefined when they make none.
 * `malformed` names the seq of an end event without the fields counted.
 */
export function usageFromEvents(before: UsageSnapshot, events: readonly (EventLike & { seq: number })[]): { usage: UsageChanges | undefined } | { malformed: number } {
  const tracker = new UsageTracker(NO_LIMITS);
  tracker.restore(before);
  for (const event of events) {
    const reported = callOfEvent(event);
    if (reported === 'malformed') return { malformed: event.seq };
    if (reported) tracker.record(reported.role, reported.action, reported.call);
  }
  return { usage: tracker.takeChanges(before) };
}

function sameCall(a: PlacedCall, b: PlacedCall): boolean {
  return (
    a.role === b.role &&
    a.action === b.action &&
    a.call.modelKey === b.call.modelKey &&
    a.call.usage.promptTokens === b.call.usage.promptTokens &&
    a.call.usage.completionTokens === b.call.usage.completionTokens &&
    a.call.usage.estimated === b.call.usage.estimated &&
    a.call.costUsd === b.call.costUsd &&
    a.call.cached === b.call.cached
  );
}
