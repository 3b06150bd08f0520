import { closeSync, fdatasyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { guardWrite, writeFileAtomicSync } from '../files/index.js';

/** The run journal's file name inside a run folder. */
export const JOURNAL_FILE = 'journal.jsonl';

/**
 * What a write survives. `process` (default): no fsync; a line is in the OS once `write` returns,
 * so it survives the sop process being killed at any moment (kill -9, OOM), not a power loss.
 * `machine`: fdatasync after every write, so it survives a power loss too (~0.1-1 ms per write).
 */
export type Durability = 'process' | 'machine';

/** One answered model call: what `sop resume` answers a repeated request with. */
export interface JournalEntry {
  /** Round the call was made in. */
  round: number;
  /** sha256 of the request (model, options, messages, schema, purpose). */
  key: string;
  text: string;
  /** Tool calls the model asked for (absent when it answered with text only). */
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  /** USD billed for the call; absent when unknown. */
  costUsd?: number;
  /** Set when the original answer came from the cache or a cassette. */
  cached?: 'cache' | 'replay';
}

/** One decision a person gave on the terminal, so a resumed round does not ask again. */
export interface ApprovalEntry {
  round: number;
  /** The gate, action and foreach index, and the sha256 of the output decided on. */
  key: string;
  decision: { kind: 'approve' } | { kind: 'reject'; feedback: string } | { kind: 'edit'; content: string };
}

/** Where one kind of record is written at once (one line, one write). */
export interface RecordSink<Entry> {
  append(entry: Entry): void;
}

/** The journal's own record types; every other `type` is a run event. */
export const RECORD_TYPES = ['call-answered', 'approval-given', 'round-commit', 'snapshot'] as const;
const recordTypes: ReadonlySet<string> = new Set(RECORD_TYPES);

/** A line as read back: `seq`, `type` and the rest. */
export type JournalLine = Record<string, unknown> & { seq: number; type: string };

/**
 * A snapshot is written when the bytes appended since the last one exceed this many times that
 * snapshot's size (and at the first boundary, and at the end of a run). Replaying the tail then
 * reads at most this much, and the snapshots written in all stay a bounded multiple of the final
 * state (a geometric series): see docs/design.md "Run record".
 */
export const SNAPSHOT_AFTER_BYTES_RATIO = 16;

/** Where appending continues in an existing journal (from `readRunJournal`). */
export interface JournalPosition {
  /** `seq` of the last whole line. */
  seq: number;
  /** Bytes of whole lines: anything after them is a line torn by a crash. */
  bytes: number;
  /** Bytes appended after the last snapshot. */
  sinceSnapshot: number;
  /** Size of the last snapshot line; undefined when there is none. */
  snapshotBytes: number | undefined;
}

/** A snapshot to add to a batch: built only when one is due (or `force`), given the seq it gets. */
export interface SnapshotRequest {
  build: (seq: number) => object;
  force?: boolean;
}

/**
 * `journal.jsonl`: the one append-only record of a run. Every line is a JSON object with `seq`
 * (gapless, in file order) and `type`: run events, `call-answered` and `approval-given` (written
 * at once, one line and one `write` each: answered means saved), `round-commit` (what changed at a
 * clean round boundary) and `snapshot` (the whole run state at a boundary).
 *
 * A round boundary is one `write`: the round's events, its commit and, when due, a snapshot. The
 * file descriptor stays open for the run; nothing is renamed; fsync only with `machine` durability.
 */
export class RunJournal {
  private fd: number | undefined;
  private seq: number;
  private sinceSnapshot: number;
  private snapshotBytes: number | undefined;
  /** Lines appended before the file was opened (`deferOpen`), written first when it opens. */
  private waiting = '';
  private closed = false;
  /** Bytes of whole lines to keep when an existing journal is opened (a torn tail is cut off). */
  private readonly keepBytes: number | undefined;

  /** Answered model calls, each written at once. */
  readonly answers: RecordSink<JournalEntry> = { append: (entry) => this.appendNow('call-answered', entry) };
  /** Terminal decisions of human gates, each written at once. */
  readonly approvals: RecordSink<ApprovalEntry> = { append: (entry) => this.appendNow('approval-given', entry) };

  /**
   * A new journal (`position` absent), or an existing one continued after `position`: its torn
   * tail, if any, is cut off when it opens, and numbering goes on. With `deferOpen` the file is
   * opened by `open()` (or by the first record that must be saved at once).
   */
  constructor(
    readonly file: string,
    private readonly options: { durability?: Durability; deferOpen?: boolean; position?: JournalPosition } = {},
  ) {
    const position = options.position;
    this.seq = position?.seq ?? 0;
    this.sinceSnapshot = position?.sinceSnapshot ?? 0;
    this.snapshotBytes = position?.snapshotBytes;
    this.keepBytes = position?.bytes;
    if (!options.deferOpen) this.open();
  }

  /** `seq` of the last line appended. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Opens the file (once) and writes the lines appended so far. */
  open(): void {
    if (this.fd !== undefined || this.closed) return;
    const keep = this.keepBytes;
    // A crash mid-write left part of a line: cut it, so the next record starts on its own line.
    if (keep !== undefined) guardWrite(this.file, () => truncateSync(this.file, keep));
    this.fd = guardWrite(this.file, () => openSync(this.file, 'a'));
    if (this.waiting !== '') {
      const text = this.waiting;
      this.waiting = '';
      this.write(text);
    }
  }

  /** Appends one record with one write, at once (opening the file if it is not open yet). */
  appendNow(type: 'call-answered' | 'approval-given', entry: object): void {
    if (this.closed) return;
    this.open();
    const text = this.line({ type, ...entry });
    this.sinceSnapshot += Buffer.byteLength(text);
    this.write(text);
  }

  /**
   * Appends records (events, a round-commit) and, when due, a snapshot, with one write. A
   * `round-commit` gets `fromSeq`, the seq of the first record of its batch: its round's events
   * are the lines from there to it. Returns the last seq written.
   */
  appendBatch(records: ReadonlyArray<object & { type: string }>, snapshot?: SnapshotRequest): number {
    if (this.closed) return this.seq;
    const fromSeq = this.seq + 1;
    let text = '';
    for (const record of records) text += this.line(record.type === 'round-commit' ? { ...record, fromSeq } : record);
    const bytes = Buffer.byteLength(text);
    const due = snapshot && (snapshot.force || this.snapshotBytes === undefined || this.sinceSnapshot + bytes > SNAPSHOT_AFTER_BYTES_RATIO * this.snapshotBytes);
    let snapshotLine = '';
    if (due) {
      snapshotLine = this.line({ type: 'snapshot', ...snapshot.build(this.seq + 1) });
      this.snapshotBytes = Buffer.byteLength(snapshotLine);
      this.sinceSnapshot = 0;
    } else this.sinceSnapshot += bytes;
    if (text === '' && snapshotLine === '') return this.seq;
    if (this.fd === undefined) this.waiting += text + snapshotLine;
    else this.write(text + snapshotLine);
    return this.seq;
  }

  close(): void {
    this.closed = true;
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** One numbered line: `seq` first, then `type`, then the rest. */
  private line(record: object): string {
    this.seq += 1;
    return `${JSON.stringify({ seq: this.seq, ...record })}\n`;
  }

  private write(text: string): void {
    const fd = this.fd as number;
    const data = Buffer.from(text, 'utf8');
    guardWrite(this.file, () => {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      if (this.options.durability === 'machine') fdatasyncSync(fd);
    });
  }
}

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

function isAnswer(record: Record<string, unknown>): record is Record<string, unknown> & { round: number } {
  return typeof record['key'] === 'string' && typeof record['text'] === 'string' && typeof record['round'] === 'number';
}

function isApproval(record: Record<string, unknown>): record is Record<string, unknown> & { round: number } {
  return typeof record['key'] === 'string' && typeof record['round'] === 'number' && typeof record['decision'] === 'object';
}

/** The files of a run recorded by sop before the journal (read only to migrate it). */
const OLD_FILES = { checkpoint: 'checkpoint.json', events: 'events.jsonl', responses: 'responses.jsonl', approvals: 'approvals.jsonl' } as const;

/**
 * Gives a run folder recorded before the journal (`checkpoint.json`, `events.jsonl`,
 * `responses.jsonl`, `approvals.jsonl`) its `journal.jsonl`: the old events (their seq kept), the
 * old checkpoint as the snapshot, then the old answers and decisions, numbered on. Written
 * atomically (a crash leaves no half journal); the old files are left as they were, so the folder
 * still resumes with the old version. Returns false when there is nothing to migrate.
 */
export function migrateOldRunFolder(runDir: string): boolean {
  const journalFile = path.join(runDir, JOURNAL_FILE);
  if (readLines(journalFile) !== undefined) return false;
  let checkpoint: unknown;
  try {
    checkpoint = JSON.parse(readFileSync(path.join(runDir, OLD_FILES.checkpoint), 'utf8'));
  } catch {
    return false; // no old record either (or an unreadable one): the resume says it cannot continue
  }
  if (checkpoint === null || typeof checkpoint !== 'object' || Array.isArray(checkpoint)) return false;
  const events = readLines(path.join(runDir, OLD_FILES.events))?.records.map((line) => line.record) ?? [];
  let seq = events.reduce((last, event) => Math.max(last, event.seq), 0);
  let text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
  const add = (type: string, record: object): void => {
    seq += 1;
    text += `${JSON.stringify({ seq, type, ...record })}\n`;
  };
  add('snapshot', checkpoint);
  for (const entry of readOldEntries(path.join(runDir, OLD_FILES.responses), isAnswer)) add('call-answered', entry);
  for (const entry of readOldEntries(path.join(runDir, OLD_FILES.approvals), isApproval)) add('approval-given', entry);
  writeFileAtomicSync(journalFile, text);
  return true;
}

/** Lines of an old journal file (no seq, no type); a torn line is skipped. */
function readOldEntries(file: string, valid: (entry: Record<string, unknown>) => boolean): Array<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    try {
      const entry: unknown = JSON.parse(line);
      if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && valid(entry as Record<string, unknown>)) entries.push(entry as Record<string, unknown>);
    } catch {
      // empty or torn
    }
  }
  return entries;
}
