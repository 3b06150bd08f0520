import { generate } from 'json-merge-patch';
import type { WrittenFile } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import type { GateStats } from './gate-stats.js';
import { remember } from './memory.js';
import type { Message } from './message.js';
import type { UsageSnapshot } from './usage.js';

/**
 * The counters of a run at a round boundary, keyed so that a merge patch (RFC 7396) says exactly
 * which ones a round changed: its size follows what the round did, not how long the run is.
 */
export interface RunCounters {
  actionRuns: Record<string, number>;
  usage: UsageSnapshot;
  offlineAnswered: boolean;
  /** By `action/gate`. */
  gateStats: Record<string, GateStats>;
  /** By path. */
  artifacts: Record<string, WrittenFile>;
  /** The run's limits and model options: a resume may change them (`--n-round`, `--investment`). */
  options: Checkpoint['options'];
}

/**
 * A `round-commit` record: what a clean round boundary changed, beside the round's events in the
 * same write. Messages, pending messages, memories and message counts are not repeated: they are
 * rebuilt from the round's `message-published` and `message-delivered` events.
 */
export interface RoundCommit {
  type: 'round-commit';
  round: number;
  nextMessageId: number;
  /** Merge patch from the previous boundary's counters to this one's; absent when none changed. */
  counters?: object;
}

/** A round-commit as read back from the journal (`seq` is the line's). */
export interface CommitRecord extends Omit<RoundCommit, 'type'> {
  seq: number;
}

/** An event as `applyRoundCommit` reads it (a live `RunEvent` or a journal line). */
export interface CommitEvent {
  type: string;
  /** The message (`message-published`) or its id (`message-delivered`). */
  message?: unknown;
  recipients?: unknown;
}

/** The counters of a state (a checkpoint or the live run's). */
export function countersOf(state: Pick<Checkpoint, 'actionRuns' | 'usage' | 'offlineAnswered' | 'gateStats' | 'artifacts' | 'options'>): RunCounters {
  return {
    actionRuns: state.actionRuns,
    usage: state.usage,
    offlineAnswered: state.offlineAnswered,
    gateStats: Object.fromEntries((state.gateStats ?? []).map((stats) => [`${stats.action}/${stats.gate}`, stats])),
    artifacts: Object.fromEntries(state.artifacts.map((file) => [file.path, file])),
    options: state.options,
  };
}

/** The commit of a clean boundary, from the counters at the previous boundary and now. */
export function roundCommit(round: number, nextMessageId: number, previous: RunCounters, next: RunCounters): RoundCommit {
  const counters = generate(previous, next) as object | undefined;
  return { type: 'round-commit', round, nextMessageId, ...(counters === undefined ? {} : { counters }) };
}

/**
 * The state after a clean round boundary, from the state after the previous one, the boundary's
 * commit and the round's events (pure: the writer keeps its state with it, and a resume replays
 * the journal's tail with it, so both agree by construction).
 */
export function applyRoundCommit(state: Checkpoint, commit: CommitRecord, events: readonly CommitEvent[]): Checkpoint {
  const published: Message[] = [];
  const recipients = new Map<string, readonly string[]>();
  for (const event of events) {
    if (event.type === 'message-published') published.push(event.message as Message);
    else if (event.type === 'message-delivered') recipients.set(event.message as string, event.recipients as string[]);
  }
  const messageCounts = { ...state.messageCounts };
  const memories = { ...state.memories };
  const copied = new Set<string>();
  const rememberIn = (roleId: string, messageId: string): void => {
    if (!Object.hasOwn(memories, roleId)) return;
    if (!copied.has(roleId)) {
      memories[roleId] = [...(memories[roleId] as string[])];
      copied.add(roleId);
    }
    remember(memories[roleId] as string[], messageId);
  };
  // The order of the live run: per message, its sender's memory, then each recipient's.
  for (const message of published) {
    messageCounts[message.type] = (messageCounts[message.type] ?? 0) + 1;
    rememberIn(message.from, message.id);
    for (const roleId of recipients.get(message.id) ?? []) rememberIn(roleId, message.id);
  }
  const { awaiting: _awaiting, ...rest } = state;
  const next: Checkpoint = {
    ...rest,
    status: 'running',
    // The round's last event: the line before its commit (both are written in one batch).
    eventSeq: commit.seq - 1,
    round: commit.round,
    nextMessageId: commit.nextMessageId,
    pending: published,
    messages: published.length === 0 ? state.messages : [...state.messages, ...published],
    memories,
    messageCounts,
  };
  if (commit.counters === undefined) return next;
  const counters = applyMergePatch(countersOf(state), commit.counters) as RunCounters;
  return {
    ...next,
    actionRuns: counters.actionRuns,
    usage: counters.usage,
    offlineAnswered: counters.offlineAnswered,
    gateStats: Object.values(counters.gateStats),
    artifacts: Object.values(counters.artifacts),
    options: counters.options,
  };
}

/**
 * RFC 7396 merge patch, applied without touching `target` (the library's `apply` changes its
 * target in place; the state before a commit must stay as it was): objects along the patch's
 * paths are copied, the rest is shared.
 */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
