import type { Message } from '../message.js';
import type { LedgerPatch } from './ledger.js';
import type { RoundCommit } from './state.js';

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
export type JournalEvent = { type: string } & Record<string, unknown>;

/** The line of a commit (the run's settings added when they changed). */
export function roundCommitLine(commit: RoundCommit, options?: object): RoundCommitLine {
  const counters = options ? { ...commit.ledger, options } : commit.ledger;
  return { type: 'round-commit', round: commit.round, nextMessageId: commit.nextMessageId, ...(counters ? { counters } : {}) };
}

/** A recorded commit as the core applies it: its messages and recipients from its round's events. */
export function commitFromJournal(line: Omit<RoundCommitLine, 'type'>, events: readonly JournalEvent[]): { commit: RoundCommit; recipients: Map<string, readonly string[]>; options?: object } {
  const messages: Message[] = [];
  const recipients = new Map<string, readonly string[]>();
  for (const event of events) {
    if (event.type === 'message-published') messages.push(event['message'] as Message);
    else if (event.type === 'message-delivered') recipients.set(event['message'] as string, event['recipients'] as string[]);
  }
  const { options, ...ledger } = line.counters ?? {};
  const commit: RoundCommit = { round: line.round, nextMessageId: line.nextMessageId, messages, ...(Object.keys(ledger).length > 0 ? { ledger } : {}) };
  return { commit, recipients, ...(options ? { options } : {}) };
}
