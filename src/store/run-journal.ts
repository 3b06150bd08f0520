import { closeSync, fdatasyncSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { SopError } from '../errors/index.js';
import { guardWrite } from '../files/index.js';
import { AnswerKeys, AnswerTexts, ImpliedLines, RECORD_TYPES } from './journal-encoding.js';
import { JournalLineWriter } from './journal-writer.js';

export { RECORD_TYPES };

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
  /** Why the model stopped, when not `stop` (`length`, `tool_calls`, ...); absent means `stop`. */
  finishReason?: string;
  /** Attempts of this call retried before it was answered (absent: none). */
  retries?: number;
  /**
   * What the attempts cut off before this answer were billed, summed (absent: none was cut): a
   * resume that replays the answer counts them again, as the killed process had.
   */
  cut?: CutUsage;
}

/** Tokens and cost of reply attempts cut off mid-stream (paid, not answered). */
export interface CutUsage {
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  /** USD, when the model has a price. */
  costUsd?: number;
}

/** One decision a person gave on the terminal, so a resumed round does not ask again. */
export interface ApprovalEntry {
  round: number;
  /** The gate, action and foreach index, and the sha256 of the output decided on. */
  key: string;
  /** With who gave it (`by`; absent from decisions journaled before it was recorded). */
  decision: ({ kind: 'approve' } | { kind: 'reject'; feedback: string } | { kind: 'edit'; content: string }) & { by?: 'terminal' | 'script' | 'resume' };
}

/** Where one kind of record is written at once (one line, one write). */
/** A `first-write` line: an artifact path and the sha256 it held before the run first wrote it (null: nothing). */
export interface FirstWriteEntry {
  path: string;
  before: string | null;
}

export interface RecordSink<Entry> {
  append(entry: Entry): void;
}

/**
 * Where answered calls are written: in a group with the others answered in the same turn of the
 * event loop. The promise settles once the entry's line is written (rejects with the write's
 * error): whoever uses the answer waits for it, so an answer is saved before anything is done with it.
 */
export interface AnswerSink {
  append(entry: JournalEntry): Promise<void>;
}

/**
 * The journal's line format. Version 2 journals begin with a `run-info` line (naming the version)
 * and a `sop-text` line, which replaced `run.json` and `sop.yaml`; a journal without them is
 * version 1 (sop before it), read the same way otherwise. Version 3 leaves out events the line
 * before implies (`ImpliedLines`) and round-commit usage the round's events rebuild. Version 4
 * leaves out a line's round, role, action and message when the lines before had them (`ScopeFields`),
 * a message's type and sender when its sender's last message had them (`RepeatedFields`), and a
 * commit's `fromSeq` and `nextMessageId` when the lines since the boundary before give them
 * (`CommitFields`). Version 5 ends a run with a `run-closed` line (its status, round and the
 * requests awaiting approval) instead of a final snapshot: the last snapshot and the commits after
 * it already give the last clean boundary's state. The reader reads all five alike (what a later
 * version leaves out, and its marks and records, never occur in an older file).
 */
export const JOURNAL_VERSION = 5;


/**
 * A second home for the journal's bytes, beside the file: every write is appended to it in file
 * order (the queue keeps a queued run's journal in Redis, `src/queue/`, so a worker on another
 * machine resumes it). `append` resolves once the bytes are stored there; answered calls wait for
 * it too, so an answer is in the replica before anything uses it.
 */
export interface JournalReplica {
  append(data: Buffer): Promise<void>;
}

/** A line as read back: `seq`, `type` and the rest. */
export type JournalLine = Record<string, unknown> & { seq: number; type: string };

/**
 * A snapshot is written when the bytes appended since the last one exceed this many times that
 * snapshot's size (and at the first boundary). Replaying the tail then
 * reads at most this much, and the snapshots written in all stay a bounded multiple of the final
 * state (a geometric series): see docs/design.md "Run record".
 */
export const SNAPSHOT_AFTER_BYTES_RATIO = 24;

/** Where appending continues in an existing journal (from `readRunJournal`). */
export interface JournalPosition {
  /** `seq` of the last whole line. */
  seq: number;
  /** Bytes of whole lines: anything after them is a line torn by a crash. */
  bytes: number;
  /** The file's size when it was read: if it differs when the journal is continued, another process wrote to it since. */
  fileBytes: number;
  /** Bytes appended after the last snapshot. */
  sinceSnapshot: number;
  /** Size of the last snapshot line; undefined when there is none. */
  snapshotBytes: number | undefined;
  /** The time of the last whole line with one, in ms (see `EventClock`); absent: 0. */
  timeMs?: number;
  /** Events at the time of the line before have no `"t"` (version 3 on, see `EventClock`); absent: false. */
  zeroTimesOmitted?: boolean;
  /** The last whole line of each type as read (see `RepeatedFields`); absent: none. */
  lastOfType?: Record<string, Record<string, unknown>>;
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
 * clean round boundary), `snapshot` (the whole run state at a boundary) and `run-closed` (how the
 * run ended).
 *
 * A round boundary is one `write`: the round's events, its commit and, when due, a snapshot, and
 * with `beforeAnswer` the same write as the next answer's. The file descriptor stays open for the
 * run; nothing is renamed; fsync only with `machine` durability.
 */
export class RunJournal {
  private fd: number | undefined;
  private seq: number;
  private sinceSnapshot: number;
  private snapshotBytes: number | undefined;
  private readonly answerTexts = new AnswerTexts();
  /**
   * What each line leaves out. A continued journal's writer starts from the reader's clock and last
   * line of each type; it has no scope and writes a commit whole until it has written a boundary.
   */
  private readonly lines: JournalLineWriter;
  private closed = false;
  /** The journal's first records, made when anything else is (see `startWith`). */
  private first: (() => ReadonlyArray<object & { type: string }>) | undefined;
  /**
   * Lines made (numbered, counted) and not written yet, in seq order: answered calls of this turn
   * of the event loop, a boundary held for the next answer (`beforeAnswer`), lines appended before
   * the file opened (`deferOpen`). The next write writes them all first, in the same `write`.
   */
  private pending = '';
  /** The promise of the answers in `pending`, settled by the write that writes them. */
  private answeredSaved: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  /** Settles once every write so far is in the replica; rejected for good by the first that failed (a gap is never skipped). */
  private replicated: Promise<void> = Promise.resolve();

  /**
   * Answered model calls: the answers of one turn of the event loop are written together, with
   * one write at its end (`setImmediate`: after every timer or socket callback of the turn; a
   * group commit, as databases do), or sooner when anything else is written. Each caller waits for
   * that write before it uses its answer (see `AnswerSink`).
   */
  readonly answers: AnswerSink = { append: (entry) => this.appendAnswer(entry) };
  /** Terminal decisions of human gates, each written at once. */
  readonly approvals: RecordSink<ApprovalEntry> = { append: (entry) => this.appendNow('approval-given', entry) };
  /** What an incremental run's artifact path held before its first write in the run, written at once, before that write. */
  readonly firstWrites: RecordSink<FirstWriteEntry> = { append: (entry) => this.appendNow('first-write', entry) };

  /**
   * A new journal (`position` absent), or an existing one continued after `position`: its torn
   * tail, if any, is cut off when it opens, and numbering goes on. With `deferOpen` the file is
   * opened by `open()` (or by the first record that must be saved at once).
   */
  constructor(
    readonly file: string,
    private readonly options: JournalOptions = {},
  ) {
    const position = options.position;
    this.seq = position?.seq ?? 0;
    this.sinceSnapshot = position?.sinceSnapshot ?? 0;
    this.snapshotBytes = position?.snapshotBytes;
    this.lines = new JournalLineWriter(position);
    if (!options.deferOpen) this.open();
  }

  /** `seq` of the last line appended. */
  get lastSeq(): number {
    this.makeFirst();
    return this.seq;
  }

  /**
   * The records a new journal starts with, made (numbered and encoded) only when the journal is
   * opened or anything else is appended: a run's first lines carry its SOP's text, which for a
   * large SOP takes a millisecond or two to encode, and a run opens its journal while its first
   * model call is out, not before it.
   */
  startWith(records: () => ReadonlyArray<object & { type: string }>): void {
    this.first = records;
  }

  /**
   * One more record among a new journal's first ones, after those given to `startWith` (queued at
   * once when they were made already: it goes with the next write).
   */
  alsoStartWith(record: { type: string; [field: string]: unknown }): void {
    const earlier = this.first;
    if (earlier) this.first = () => [...earlier(), record];
    else this.queue(this.line(record));
  }

  private makeFirst(): void {
    const records = this.first;
    if (!records) return;
    this.first = undefined;
    let text = '';
    for (const record of records()) text += this.line(record);
    this.queue(text);
  }

  /**
   * Creates a new journal's file with `first` as its first line, written at once (the lines given
   * to `startWith` follow with the next write).
   */
  create(first: object & { type: string }): void {
    if (this.fd !== undefined || this.options.position) return;
    this.fd = guardWrite(this.file, () => openSync(this.file, 'a'));
    this.queue(this.line(first));
    this.writePending();
  }

  /** Opens the file (once) and writes the lines appended so far. */
  open(): void {
    if (this.closed) return;
    this.makeFirst();
    if (this.fd === undefined) {
      const position = this.options.position;
      if (position) {
        refuseChangedSince(this.file, position);
        // A crash mid-write left part of a line: cut it, so the next record starts on its own line.
        guardWrite(this.file, () => truncateSync(this.file, position.bytes));
      }
      this.fd = guardWrite(this.file, () => openSync(this.file, 'a'));
    }
    this.writePending();
  }

  /** Appends one record with one write, at once (opening the file if it is not open yet), after the lines pending. */
  appendNow(type: 'approval-given' | 'first-write', entry: object): void {
    if (this.closed) return;
    this.makeFirst();
    this.queue(this.line({ type, ...entry }));
    this.open();
  }

  /** Queues an answered call for the write at the end of this turn (numbered now: the file keeps arrival order). */
  private appendAnswer(entry: JournalEntry): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.makeFirst();
    this.queue(this.line({ type: 'call-answered', ...entry, key: AnswerKeys.encode(entry.key) }));
    this.answerTexts.noteAnswer(entry.text, this.seq);
    if (!this.answeredSaved) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((settle, fail) => ((resolve = settle), (reject = fail)));
      this.answeredSaved = { promise, resolve, reject };
      setImmediate(() => this.writeAnswered());
    }
    return this.answeredSaved.promise;
  }

  /** The group write of a turn's answers: it never throws here, where the event loop would find it (a failure rejects their promise). */
  private writeAnswered(): void {
    try {
      this.open();
    } catch (error) {
      const saved = this.answeredSaved;
      this.answeredSaved = undefined;
      saved?.reject(error);
    }
  }

  private queue(text: string): void {
    this.pending += text;
    this.sinceSnapshot += Buffer.byteLength(text);
  }

  /**
   * Writes the pending lines with one write, and settles the answers' promise among them (a failed
   * write rejects it, and every caller reports it as the run's storage error, and throws here too).
   */
  private writePending(): void {
    if (this.fd === undefined || this.pending === '') return;
    const saved = this.answeredSaved;
    const data = Buffer.from(this.pending);
    this.pending = '';
    this.answeredSaved = undefined;
    try {
      this.write(data);
    } catch (error) {
      saved?.reject(error);
      throw error;
    }
    // With a replica, saved means saved there too.
    if (saved && this.options.replica) this.replicated.then(saved.resolve, saved.reject);
    else saved?.resolve();
  }

  /**
   * Appends records (events, a round-commit) and, when due, a snapshot, with one write (the lines
   * pending before them included). A `round-commit` gets `fromSeq`, the seq of the first record of
   * its batch: its round's events are the lines from there to it. With `beforeAnswer` the batch is
   * not written now but by the next write, an answer's most often (the caller makes sure one
   * comes: `RunRecord` writes it on its own after a short wait). Returns the last seq written.
   */
  appendBatch(records: ReadonlyArray<object & { type: string }>, snapshot?: SnapshotRequest, options: { beforeAnswer?: boolean } = {}): number {
    if (this.closed) return this.seq;
    this.makeFirst();
    const fromSeq = this.seq + 1;
    let text = '';
    for (let index = 0; index < records.length; index += 1) {
      const record = records[index] as object & { type: string };
      let written = record.type === 'round-commit' ? { ...record, fromSeq } : this.answerTexts.name(record);
      // Events the line implies are not written; their seqs are counted (see `ImpliedLines`).
      let implied = 0;
      for (let folded; index + 1 < records.length && (folded = ImpliedLines.fold(written, records[index + 1] as object & { type: string })); index += 1) {
        written = folded;
        implied += 1;
      }
      text += this.line(written);
      this.seq += implied;
    }
    this.answerTexts.endRound();
    const bytes = Buffer.byteLength(text);
    const due = snapshot && (snapshot.force || this.snapshotBytes === undefined || this.sinceSnapshot + bytes > SNAPSHOT_AFTER_BYTES_RATIO * this.snapshotBytes);
    if (due) {
      const snapshotLine = this.line({ type: 'snapshot', ...snapshot.build(this.seq + 1) });
      this.pending += text + snapshotLine;
      this.snapshotBytes = Buffer.byteLength(snapshotLine);
      this.sinceSnapshot = 0;
    } else this.queue(text);
    // Answers waiting for their write go now, with it, so that they open a deferred file too.
    if (!options.beforeAnswer && (this.fd !== undefined || this.answeredSaved)) this.open();
    return this.seq;
  }

  /** Writes the lines held for the next write (`beforeAnswer`) now, if the file is open. */
  writeHeld(): void {
    if (!this.closed) this.writePending();
  }

  /** Characters made and not written yet (held for the next write, or waiting for the file to open). */
  get heldLength(): number {
    return this.pending.length;
  }

  /** Settles once every write so far is in the replica (at once without one); rejects with the first replica failure. */
  replicaSynced(): Promise<void> {
    return this.replicated;
  }

  close(): void {
    // Pending answers are written (opening a deferred file); other pending lines only to an open file.
    try {
      if (this.answeredSaved) this.writeAnswered();
      else this.writePending();
    } finally {
      this.closed = true;
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** The next numbered line. Lines are made in seq order (answers when queued), which is file order. */
  private line(record: object): string {
    this.seq += 1;
    return this.lines.line(record as object & { type: string }, this.seq);
  }

  private write(data: Buffer): void {
    const fd = this.fd as number;
    guardWrite(this.file, () => {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      if (this.options.durability === 'machine') fdatasyncSync(fd);
    });
    const replica = this.options.replica;
    if (replica) {
      // Sent now (the replica keeps the order of its appends); a failure stays the answer of every later wait.
      const sent = replica.append(data);
      const synced = Promise.all([this.replicated, sent]).then(() => undefined);
      synced.catch(() => undefined);
      this.replicated = synced;
    }
  }
}

/** How a journal is written: durability, a deferred open, where an existing one continues, a replica. */
export interface JournalOptions {
  durability?: Durability;
  deferOpen?: boolean;
  position?: JournalPosition;
  replica?: JournalReplica;
}

/**
 * A journal is continued only from the state it had when it was read: appended to since (another
 * process resumed the run after this one read it), cutting it back to the read position would
 * wipe that process's records and redo its calls. Append-only, so its size says whether it changed.
 */
function refuseChangedSince(file: string, position: JournalPosition): void {
  let size: number | undefined;
  try {
    size = statSync(file).size;
  } catch {
    size = undefined;
  }
  if (size === position.fileBytes) return;
  throw new SopError('RUN_NOT_RESUMABLE', `${file} changed since its resume point was read (${position.fileBytes} bytes, seq ${position.seq}; now ${size === undefined ? 'gone' : `${size} bytes`}): another process continued the run`, {
    hint: 'read the resume point again once this process holds the run (`sop resume` does), and resume from that',
  });
}
