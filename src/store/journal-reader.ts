import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE, RECORD_TYPES, type ApprovalEntry, type JournalEntry, type JournalLine, type JournalPosition } from './run-journal.js';

const recordTypes: ReadonlySet<string> = new Set(RECORD_TYPES);

/** What a resume needs from a journal: the last snapshot and what came after it. */
export interface JournalRead {
  /** The last snapshot line; undefined when the run never reached a clean boundary. */
  snapshot: JournalLine | undefined;
  /** The round-commits after it, in order, each with its round's events. */
  commits: Array<{ commit: JournalLine; events: JournalLine[] }>;
  /** Answered calls of rounds after the last boundary read (older ones are inside the state). */
  answers: JournalEntry[];
  /** Terminal decisions of rounds after the last boundary read. */
  approvals: ApprovalEntry[];
  /** Where appending continues. */
  position: JournalPosition;
  /** True when the file ended in a torn line (ignored, and cut off when the journal is continued). */
  torn: boolean;
}

/**
 * Reads a run folder's journal; undefined when it has none. A torn last line (a crash in the
 * middle of a write: no newline at its end, or not JSON) is ignored.
 */
export function readRunJournal(runDir: string): JournalRead | undefined {
  const lines = readLines(path.join(runDir, JOURNAL_FILE));
  if (!lines) return undefined;
  const read: JournalRead = { snapshot: undefined, commits: [], answers: [], approvals: [], position: { seq: 0, bytes: lines.bytes, sinceSnapshot: 0, snapshotBytes: undefined }, torn: lines.torn };
  /** Events since the last snapshot: the candidates for the commits after it. */
  let events: JournalLine[] = [];
  let boundaryRound = -1;
  for (const { record, bytes } of lines.records) {
    read.position.seq = record.seq;
    read.position.sinceSnapshot += bytes;
    switch (record.type) {
      case 'snapshot':
        read.snapshot = record;
        read.commits = [];
        events = [];
        read.position.sinceSnapshot = 0;
        read.position.snapshotBytes = bytes;
        boundaryRound = dropAnswersUpTo(read, record['round']);
        break;
      case 'round-commit': {
        const fromSeq = typeof record['fromSeq'] === 'number' ? record['fromSeq'] : record.seq;
        read.commits.push({ commit: record, events: events.filter((event) => event.seq >= fromSeq) });
        events = [];
        boundaryRound = dropAnswersUpTo(read, record['round']);
        break;
      }
      case 'call-answered':
        if (isAnswer(record) && record.round > boundaryRound) read.answers.push(withoutFraming(record) as unknown as JournalEntry);
        break;
      case 'approval-given':
        if (isApproval(record) && record.round > boundaryRound) read.approvals.push(withoutFraming(record) as unknown as ApprovalEntry);
        break;
      default:
        events.push(record);
    }
  }
  return read;
}

/**
 * Every run event of a run folder, in order, with its `seq` (the journal's own records left out).
 * A run recorded by an older sop (`events.jsonl`, no journal) is read from that file.
 */
export function readRunEvents(runDir: string): JournalLine[] {
  const lines = readLines(path.join(runDir, JOURNAL_FILE)) ?? readLines(path.join(runDir, 'events.jsonl'));
  return (lines?.records ?? []).map((line) => line.record).filter((record) => !recordTypes.has(record.type));
}

/** Parsed whole lines of a JSONL file; undefined when it does not exist. */
export function readLines(file: string): { records: Array<{ record: JournalLine; bytes: number }>; bytes: number; torn: boolean } | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const records: Array<{ record: JournalLine; bytes: number }> = [];
  let start = 0;
  let torn = false;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start);
    if (end === -1) {
      torn = true; // no newline: the last write was cut short
      break;
    }
    const record = parseLine(data.toString('utf8', start, end));
    if (!record) {
      // Not JSON: the last line is torn (cut at a newline inside a value, or zeros after a power
      // loss); a bad line before the end is skipped, as a hand-edited file would be.
      if (end + 1 >= data.length) {
        torn = true;
        break;
      }
    } else records.push({ record, bytes: end + 1 - start });
    start = end + 1;
  }
  return { records, bytes: start, torn };
}

function parseLine(text: string): JournalLine | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const line = value as Record<string, unknown>;
      if (typeof line['seq'] === 'number' && typeof line['type'] === 'string') return line as JournalLine;
    }
  } catch {
    // torn or not ours
  }
  return undefined;
}

/** Drops answers and decisions of rounds up to a clean boundary's; returns that round. */
function dropAnswersUpTo(read: JournalRead, round: unknown): number {
  if (typeof round !== 'number') return -1;
  read.answers = read.answers.filter((entry) => entry.round > round);
  read.approvals = read.approvals.filter((entry) => entry.round > round);
  return round;
}

function withoutFraming(record: JournalLine): Record<string, unknown> {
  const { seq: _seq, type: _type, ...entry } = record;
  return entry;
}

export function isAnswer(record: Record<string, unknown>): record is Record<string, unknown> & { round: number } {
  return typeof record['key'] === 'string' && typeof record['text'] === 'string' && typeof record['round'] === 'number';
}

export function isApproval(record: Record<string, unknown>): record is Record<string, unknown> & { round: number } {
  return typeof record['key'] === 'string' && typeof record['round'] === 'number' && typeof record['decision'] === 'object';
}
