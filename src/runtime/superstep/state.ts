import type { GateStats } from '../gate-stats.js';
import type { Message, PendingMessage } from '../message.js';
import { threadAfter, type Thread } from './threads.js';
import { applyUsageChanges, type UsageChanges, type UsageCount, type UsageSnapshot } from '../usage.js';
import { remember } from '../memory.js';
import { dictionary, dictionaryOf, propertyName } from './dictionary.js';
import { applyLedgerPatch, emptyLedger, isEmptyPatch, type Ledger, type LedgerPatch, type RecordedArtifact } from './ledger.js';

/**
 * The superstep loop's state at a round boundary, as plain data. Commits change it in place: a
 * copy per round would make each step cost more than the one before.
 */
export interface SuperstepState {
  /** Rounds that ran; 0 right after the start messages. */
  round: number;
  /** Message ids handed out so far (`m0001` ... `m<count>`). */
  nextMessageId: number;
  /** Messages published during `round`, delivered at the start of the next one. */
  pending: Message[];
  /** Every published message by id (`chain` memory follows causes through it). */
  messages: Map<string, Message>;
  /** Each published message's thread (`message.thread`), by id: derived from `messages`, never recorded. */
  threads: Map<string, Thread>;
  /** What each role remembers: messages it received or published, oldest first (bounded). */
  memories: Map<string, Message[]>;
  /** Published messages per type. */
  messageCounts: Record<string, number>;
  /** The counters actions keep (`max_runs`, usage, gate checks, artifacts). */
  ledger: Ledger;
}

/** What one round boundary adds to the state: the messages the round published, with their ids, and what it counted. */
export interface RoundCommit {
  round: number;
  messages: Message[];
  /** Message ids handed out once the commit is applied. */
  nextMessageId: number;
  /** The ledger entries the round changed (absent when none). */
  ledger?: LedgerPatch;
}

/** A round's usage changes, given when its boundary is written (`UsageTracker.changesAtBoundary`); undefined when none. */
export type BoundaryUsage = () => UsageChanges | undefined;

/**
 * `commit` completed with its round's usage changes, applied to `state` too: usage is taken when
 * the boundary is written, not when it is committed (no decision of the next round reads it).
 */
export function applyUsage(state: SuperstepState, commit: RoundCommit, usage: UsageChanges | undefined): RoundCommit {
  if (!usage) return commit;
  applyUsageChanges(state.ledger.usage, usage);
  return { ...commit, ledger: { ...commit.ledger, usage } };
}

/** Who received each message of a commit (role ids by message id; see `deliver`). */
export type Recipients = ReadonlyMap<string, readonly string[]>;

export function emptyState(): SuperstepState {
  return { round: 0, nextMessageId: 0, pending: [], messages: new Map(), threads: new Map(), memories: new Map(), messageCounts: {}, ledger: emptyLedger() };
}

/** Deterministic ids `m0001`, `m0002`, ... in publish order. */
export function messageId(count: number): string {
  return `m${String(count).padStart(4, '0')}`;
}

/** The commit of `round` publishing these messages (in publish order; ids follow the state's count) and counting `ledger`. */
export function commitRound(state: SuperstepState, round: number, published: readonly PendingMessage[], ledger: LedgerPatch = {}): RoundCommit {
  const messages = published.map((message, offset): Message => ({
    id: messageId(state.nextMessageId + offset + 1),
    type: message.type,
    content: message.content,
    payload: message.payload,
    from: message.from,
    to: message.to,
    cause: message.cause,
    round,
  }));
  return { round, messages, nextMessageId: state.nextMessageId + messages.length, ...(isEmptyPatch(ledger) ? {} : { ledger }) };
}

/**
 * Applies a commit and its delivery: the live run right after `commitRound` and `deliver`, a resumed
 * run for each commit its journal holds after the snapshot (with the recipients it recorded). The
 * one function that moves the state on, so replay gives the state the live run had. Each message
 * is remembered by its sender (a role; round 0's start messages come from `user`, not from a role)
 * and by its recipients.
 */
export function applyCommit(state: SuperstepState, commit: RoundCommit, recipients: Recipients): void {
  for (const message of commit.messages) {
    state.messages.set(message.id, message);
    setThread(state.threads, message);
    // One string per type name for the process (see `propertyName`): counted at every message.
    const type = propertyName(message.type);
    state.messageCounts[type] = (state.messageCounts[type] ?? 0) + 1;
    if (commit.round > 0) rememberIn(state, message.from, message);
    const received = recipients.get(message.id);
    if (received) for (const recipient of received) rememberIn(state, recipient, message);
  }
  state.round = commit.round;
  state.nextMessageId = commit.nextMessageId;
  state.pending = commit.messages;
  if (commit.ledger) applyLedgerPatch(state.ledger, commit.ledger);
}

/** A message's thread follows its cause's, published before it (ids are in publish order). */
function setThread(threads: Map<string, Thread>, message: Message): void {
  threads.set(message.id, threadAfter(message, message.cause === null ? undefined : threads.get(message.cause)));
}

function rememberIn(state: SuperstepState, roleId: string, message: Message): void {
  let history = state.memories.get(roleId);
  if (!history) {
    history = [];
    state.memories.set(roleId, history);
  }
  remember(history, message);
}

/** The state as JSON-ready data (the state fields of a journal `snapshot`, see `Checkpoint`): memories as message ids. */
export interface StateSnapshot {
  round: number;
  nextMessageId: number;
  pending: Message[];
  memories: Record<string, string[]>;
  messageCounts: Record<string, number>;
  messages: Message[];
  actionRuns: Record<string, number>;
  usage: UsageSnapshot;
  gateStats: GateStats[];
  artifacts: RecordedArtifact[];
  /** Paths of drafts gates rejected and nothing wrote again since (absent when none, and in snapshots of versions before 2026-12-06). */
  rejectedArtifacts?: string[];
  offlineAnswered: boolean;
}

/**
 * The state as a snapshot. It shares the state's usage counts (a deep copy of every role's and
 * action's counts cost more than writing them): write it, or copy it, before the state moves on.
 */
export function toSnapshot(state: SuperstepState): StateSnapshot {
  return {
    round: state.round,
    nextMessageId: state.nextMessageId,
    pending: state.pending,
    memories: dictionaryOf([...state.memories].map(([roleId, history]) => [roleId, history.map((message) => message.id)])),
    messageCounts: { ...state.messageCounts },
    messages: [...state.messages.values()],
    actionRuns: Object.assign(dictionary<number>(), state.ledger.actionRuns),
    usage: state.ledger.usage,
    gateStats: Object.values(state.ledger.gateStats).map((stats) => ({ ...stats })),
    artifacts: Object.values(state.ledger.artifacts),
    ...rejectedOf(state.ledger),
    offlineAnswered: state.ledger.offlineAnswered,
  };
}

/** The snapshot's `rejectedArtifacts`, left out when there are none (most runs). */
function rejectedOf(ledger: Ledger): Pick<StateSnapshot, 'rejectedArtifacts'> {
  const paths = Object.keys(ledger.rejectedArtifacts);
  return paths.length > 0 ? { rejectedArtifacts: paths } : {};
}

/** The state a snapshot holds (`gateStats` is absent in checkpoints of older runs). */
export function fromSnapshot(snapshot: Omit<StateSnapshot, 'gateStats'> & { gateStats?: GateStats[] | undefined }): SuperstepState {
  const messages = new Map(snapshot.messages.map((message) => [message.id, message]));
  // Rebuilt, not read: a snapshot lists every message in publish order, causes first.
  const threads = new Map<string, Thread>();
  for (const message of snapshot.messages) setThread(threads, message);
  const memories = new Map<string, Message[]>();
  for (const [roleId, ids] of Object.entries(snapshot.memories)) {
    memories.set(roleId, ids.flatMap((id) => messages.get(id) ?? []));
  }
  return {
    round: snapshot.round,
    nextMessageId: snapshot.nextMessageId,
    pending: snapshot.pending.map((message) => messages.get(message.id) ?? message),
    messages,
    threads,
    memories,
    messageCounts: { ...snapshot.messageCounts },
    ledger: {
      actionRuns: Object.assign(dictionary<number>(), snapshot.actionRuns),
      usage: usageOf(snapshot.usage),
      gateStats: dictionaryOf((snapshot.gateStats ?? []).map((stats) => [`${stats.action}/${stats.gate}`, { ...stats }])),
      artifacts: dictionaryOf(snapshot.artifacts.map((file) => [file.path, file])),
      rejectedArtifacts: dictionaryOf((snapshot.rejectedArtifacts ?? []).map((path) => [path, true as const])),
      offlineAnswered: snapshot.offlineAnswered,
    },
  };
}

/** A snapshot's usage as the ledger keeps it: a copy, its per-role, per-action and per-model counts in dictionaries. */
function usageOf(usage: UsageSnapshot): UsageSnapshot {
  const { total, byRole, byAction, byModel, liveTokens } = structuredClone(usage);
  return { total, byRole: Object.assign(dictionary<UsageCount>(), byRole), byAction: Object.assign(dictionary<UsageCount>(), byAction), byModel: Object.assign(dictionary<number>(), byModel), liveTokens };
}
