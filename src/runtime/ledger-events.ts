import { UsageTracker, type PlacedCall, type UsageChanges, type UsageSnapshot } from './usage.js';

/**
 * Ledger changes a round-commit leaves out because its round's events say them: usage, rebuilt
 * from the `llm-call-end` events (most rounds change usage only by their answered calls, and each
 * call's event says what the tracker counted; it was ~400 bytes a round), and `max_runs` counts,
 * one more per `action-start`. The writer leaves them out only when the events say exactly what
 * was counted (`usageFollowsEvents`, `actionRunsFollowEvents`), so what a resume rebuilds is what
 * was recorded.
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

/** How many `action-start` events each action has in `events`. */
function actionStarts(events: readonly EventLike[]): Map<string, number> {
  const starts = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'action-start' && typeof event['action'] === 'string') starts.set(event['action'], (starts.get(event['action']) ?? 0) + 1);
  }
  return starts;
}

/**
 * True when a round's `max_runs` counts (`changed`, the commit's new values) are those before it
 * (`recorded`, what a reader replaying the journal has) plus one per `action-start` of the round,
 * and no other action started.
 */
export function actionRunsFollowEvents(recorded: ReadonlyMap<string, number>, changed: Readonly<Record<string, number>>, events: readonly EventLike[]): boolean {
  const starts = actionStarts(events);
  const keys = Object.keys(changed);
  return keys.length === starts.size && keys.every((action) => changed[action] === (recorded.get(action) ?? 0) + (starts.get(action) ?? Number.NaN));
}

/** The `max_runs` counts a round's `action-start` events change, from those before it; undefined when none started. */
export function actionRunsFromEvents(before: Readonly<Record<string, number>>, events: readonly EventLike[]): Record<string, number> | undefined {
  const starts = actionStarts(events);
  if (starts.size === 0) return undefined;
  const changed: Record<string, number> = {};
  for (const [action, count] of starts) changed[action] = (Object.hasOwn(before, action) ? (before[action] as number) : 0) + count;
  return changed;
}
