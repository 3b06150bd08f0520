import type { Message } from '../message.js';
import type { LedgerPatch } from './ledger.js';
import { messageId, type RoundCommit } from './state.js';

/**
 * A journal `round-commit` line: what a clean round boundary changed, beside the round's events in
 * the same write. The round's messages and where they went are not repeated: they are its
 * `message-published` and `message-delivered` events. `counters` is the ledger's merge patch, plus
 * the run's settings when this attempt changed them (`sop resume --n-round|--investment`).
 */
export interface RoundCommitLine {
  type: 'round-commit';
  round: number;
  nextMessageId: number;
  counters?: LedgerPatch & { options?: object };
}

/** An event as a commit reads it back from the journal. */
export type JournalEvent = { seq: number; type: string } & Record<string, unknown>;

/** The line of a commit (the run's settings added when they changed). */
export function roundCommitLine(commit: RoundCommit, options?: object): RoundCommitLine {
  const counters = options ? { ...commit.ledger, options } : commit.ledger;
  return { type: 'round-commit', round: commit.round, nextMessageId: commit.nextMessageId, ...(counters ? { counters } : {}) };
}

/** A recorded commit as the core applies it, or the line that does not say what the writer wrote. */
export type JournalCommitRead = { commit: RoundCommit; recipients: Map<string, readonly string[]>; options?: object } | { damage: { seq: number; what: string } };

/** The ledger fields a commit's `counters` may patch, with the JSON type each must have, and the run's settings. */
const COUNTER_TYPES: Readonly<Record<string, 'object' | 'boolean'>> = { actionRuns: 'object', usage: 'object', gateStats: 'object', artifacts: 'object', rejectedArtifacts: 'object', offlineAnswered: 'boolean', options: 'object' };

/**
 * A recorded commit as the core applies it: its messages and recipients from its round's events,
 * checked against what the writer guarantees (the commit at seq `commitSeq`; `before` is the
 * state's `nextMessageId` before it): every published message is whole and has the next id, each
 * delivery names one of them, and `nextMessageId` counts them all, so a changed or lost line is
 * found here instead of resuming from a wrong state. Linear in the round's events.
 */
export function commitFromJournal(line: Omit<RoundCommitLine, 'type'>, commitSeq: number, events: readonly JournalEvent[], before: number): JournalCommitRead {
  const messages: Message[] = [];
  const recipients = new Map<string, readonly string[]>();
  const published = new Set<string>();
  for (const event of events) {
    if (event.type === 'message-published') {
      const message = event['message'];
      if (!isMessage(message)) return { damage: { seq: event.seq, what: 'the message-published line has no whole message (id, type, content, from, to, cause, round)' } };
      const expected = messageId(before + messages.length + 1);
      if (message.id !== expected || message.round !== line.round) {
        return { damage: { seq: event.seq, what: `the published message ${message.id} of round ${message.round} is not the next one (${expected} of round ${line.round}): a line is missing or changed` } };
      }
      messages.push(message);
      published.add(message.id);
    } else if (event.type === 'message-delivered') {
      const id = event['message'];
      const to = event['recipients'];
      if (typeof id !== 'string' || !Array.isArray(to) || !to.every((role) => typeof role === 'string') || !published.has(id)) {
        return { damage: { seq: event.seq, what: 'the message-delivered line needs the id of a message its round published and a list of role ids' } };
      }
      recipients.set(id, to as string[]);
    }
  }
  if (line.nextMessageId !== before + messages.length) {
    return { damage: { seq: commitSeq, what: `nextMessageId ${line.nextMessageId} does not follow the ${messages.length} messages its round published (expected ${before + messages.length}): a message-published line is missing or changed` } };
  }
  for (const [key, value] of Object.entries(line.counters ?? {})) {
    if (COUNTER_TYPES[key] === undefined || typeof value !== COUNTER_TYPES[key] || value === null) {
      return { damage: { seq: commitSeq, what: `counters.${key} is not a counter a round-commit records (or not a${COUNTER_TYPES[key] === 'boolean' ? ' boolean' : 'n object'})` } };
    }
  }
  const { options, ...ledger } = line.counters ?? {};
  const commit: RoundCommit = { round: line.round, nextMessageId: line.nextMessageId, messages, ...(Object.keys(ledger).length > 0 ? { ledger } : {}) };
  return { commit, recipients, ...(options ? { options } : {}) };
}

function isMessage(value: unknown): value is Message {
  if (value === null || typeof value !== 'object') return false;
  const message = value as Record<string, unknown>;
  const text = (key: string): boolean => typeof message[key] === 'string';
  const textOrNull = (key: string): boolean => message[key] === null || text(key);
  return text('id') && text('type') && text('content') && text('from') && textOrNull('to') && textOrNull('cause') && typeof message['round'] === 'number';
}
