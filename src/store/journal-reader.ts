import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { AnswerKeys, AnswerTexts, EventClock, ImpliedLines, RepeatedFields } from './journal-encoding.js';
import { CommitFields, ScopeFields } from './journal-context.js';
import { treeFiles } from './file-tree.js';
import { JOURNAL_FILE, JOURNAL_VERSION, RECORD_TYPES, type ApprovalEntry, type JournalEntry, type JournalLine, type JournalPosition } from './run-journal.js';

const recordTypes: ReadonlySet<string> = new Set(RECORD_TYPES);

/** What a resume needs from a journal: the last snapshot and what came after it. */
export interface JournalRead {
  /**
   * The last snapshot line; undefined when the run never reached a clean boundary. Messages it
   * names by the seq of their `message-published` line are put back whole (see `withMessages`).
   */
  snapshot: JournalLine | undefined;
  /**
   * How the run ended (a `run-closed` line, journal version 5) when no boundary came after it: the
   * status, and the requests awaiting approval, of the state the snapshot and commits give.
   */
  closed: { status: string; awaiting?: unknown[] } | undefined;
  /**
   * The last `sop-changed` line after the last snapshot: the SOP (digests, scripts) a resume went on
   * with when it differed from the record (`--allow-changed-sop`); it replaces the snapshot's `sop`.
   */
  sopChanged: JournalLine | undefined;
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
  /** The run's working time so far: the last `run-end` line's `durationMs` (0 before any attempt ended). */
  earlierMs: number;
  /** When the last attempt started (its `run-start` or `run-resume` line's time, ms since the epoch). */
  attemptStartMs: number | undefined;
  /**
   * What each artifact path held before the run first wrote it (its `first-write` line, written
   * before the write; in journals of before 2026-12-07 its first `artifact-written`'s
   * `previousSha256`; null: nothing), over every attempt: a write of a round the run paused or died
   * in is in no boundary, and the resume's rewrite finds the run's own file there.
   */
  firstWrites: Record<string, string | null>;
  /**
   * An incremental run's inventory, the names of the workspace's files when it started (its
   * `workspace-files` line); undefined when it has none (not `--inc`, past the bound, killed before
   * its first lines were written, or recorded before 2026-12-07).
   */
  workspaceFiles?: string[];
  /** The file line that holds the record with this seq (what a damage names). */
  lineOf(seq: number): number;
}

/**
 * Reads a run folder's journal; undefined when it has none. A torn last line (a crash in the
 * middle of a write: no newline at its end, or not JSON) is ignored. A damaged journal (see
 * `readLines`; also a journal record without the fields read here) is refused (`RUN_JOURNAL_DAMAGED`).
 */
export function readRunJournal(runDir: string): JournalRead | undefined {
  const file = path.join(runDir, JOURNAL_FILE);
  const lines = readLines(file);
  if (!lines) return undefined;
  const read: JournalRead = { snapshot: undefined, closed: undefined, sopChanged: undefined, commits: [], answers: [], approvals: [], position: { seq: 0, bytes: lines.bytes, fileBytes: lines.fileBytes, sinceSnapshot: 0, snapshotBytes: undefined, timeMs: lines.timeMs, zeroTimesOmitted: lines.zeroTimesOmitted, lastOfType: lines.lastOfType }, torn: lines.torn, earlierMs: 0, attemptStartMs: undefined, firstWrites: {}, lineOf: (seq) => lines.records[seq - 1]?.line ?? seq };
  /** Events since the last snapshot: the candidates for the commits after it. */
  let events: JournalLine[] = [];
  /** The last boundary (snapshot or round-commit): its round and seq. */
  let boundaryRound = -1;
  let boundarySeq = 0;
  /** The message of every message-published line so far, by its seq: what snapshots name. */
  const published = new Map<number, unknown>();
  const damaged = (record: JournalLine, what: string): SopError => journalDamaged(file, read.lineOf(record.seq), record.seq, what);
  for (const { record, bytes } of lines.records) {
    read.position.seq = record.seq;
    read.position.sinceSnapshot += bytes;
    switch (record.type) {
      case 'snapshot':
        if (!isCount(record['round'])) throw damaged(record, 'the snapshot has no round (a whole number)');
        read.snapshot = withMessages(record, published, (what) => damaged(record, what));
        // A snapshot written after a resume with a changed SOP has that SOP already.
        read.sopChanged = undefined;
        read.closed = undefined;
        read.commits = [];
        events = [];
        read.position.sinceSnapshot = 0;
        read.position.snapshotBytes = bytes;
        boundaryRound = dropAnswersUpTo(read, record['round']);
        boundarySeq = record.seq;
        break;
      case 'round-commit': {
        const { round, fromSeq } = record;
        if (!isCount(round) || round <= boundaryRound) throw damaged(record, `the round-commit needs a round after the last boundary's (${boundaryRound}), not ${JSON.stringify(round)}`);
        if (!isCount(fromSeq) || fromSeq <= boundarySeq || fromSeq > record.seq) {
          throw damaged(record, `the round-commit's fromSeq (${JSON.stringify(fromSeq)}) must be the seq of its round's first line, after the last boundary (seq ${boundarySeq})`);
        }
        read.commits.push({ commit: record, events: events.filter((event) => event.seq >= fromSeq) });
        read.closed = undefined;
        events = [];
        boundaryRound = dropAnswersUpTo(read, round);
        boundarySeq = record.seq;
        break;
      }
      case 'call-answered':
        if (!isAnswer(record)) throw damaged(record, 'the call-answered line needs round, key and text');
        if (record.round > boundaryRound) read.answers.push(withoutFraming(record) as unknown as JournalEntry);
        break;
      case 'approval-given':
        if (!isApproval(record)) throw damaged(record, 'the approval-given line needs round, key and a decision');
        if (record.round > boundaryRound) read.approvals.push(withoutFraming(record) as unknown as ApprovalEntry);
        break;
      case 'run-closed': {
        const { status, awaiting } = record;
        if (typeof status !== 'string' || status === 'running' || (awaiting !== undefined && !Array.isArray(awaiting))) throw damaged(record, 'the run-closed line needs the status the run ended with (and awaiting as a list when present)');
        read.closed = { status, ...(awaiting === undefined ? {} : { awaiting }) };
        break;
      }
      case 'sop-changed': {
        const { sha256, file: sopFile, displayPath, files, scripts } = record;
        if (typeof sha256 !== 'string' || typeof sopFile !== 'string' || typeof displayPath !== 'string' || !isStringMap(files) || (scripts !== undefined && !isStringMap(scripts))) {
          throw damaged(record, 'the sop-changed line needs the SOP\'s file, displayPath and sha256 (text) and files (and scripts when present: sha256 by path)');
        }
        read.sopChanged = record;
        break;
      }
      case 'first-write': {
        const { path: written, before } = record;
        if (typeof written !== 'string' || (before !== null && typeof before !== 'string')) throw damaged(record, 'the first-write line needs path (text) and before (a sha256, or null)');
        if (!Object.hasOwn(read.firstWrites, written)) read.firstWrites[written] = before;
        break;
      }
      case 'workspace-files': {
        const files = treeFiles(record['files']);
        if (!files) throw damaged(record, 'the workspace-files line needs files, a tree of names (a file 0, a folder an object)');
        read.workspaceFiles = files;
        break;
      }
      case 'run-info':
      case 'sop-text':
        break; // what the run is (`readRunInfo`, `readPinnedSop`), not its state
      default:
        if (record.type === 'message-published') published.set(record.seq, record['message']);
        // Each attempt's run-end holds the time of every attempt so far: a resume adds its own to it.
        if (record.type === 'run-end' && typeof record['durationMs'] === 'number') read.earlierMs = record['durationMs'];
        if ((record.type === 'run-start' || record.type === 'run-resume') && typeof record['time'] === 'string') read.attemptStartMs = Date.parse(record['time']);
        if (record.type === 'artifact-written' && typeof record['path'] === 'string' && 'previousSha256' in record && !Object.hasOwn(read.firstWrites, record['path'])) {
          read.firstWrites[record['path']] = typeof record['previousSha256'] === 'string' ? record['previousSha256'] : null;
        }
        events.push(record);
    }
  }
  return read;
}

/**
 * A snapshot with the messages it names by seq (in `messages` and `pending`) put back: each
 * number must be the seq of a `message-published` line before it, else the journal is damaged.
 * Snapshots of older versions hold every message whole; they are returned as they are.
 */
function withMessages(snapshot: JournalLine, published: ReadonlyMap<number, unknown>, damaged: (what: string) => SopError): JournalLine {
  const whole = (list: unknown[]): unknown[] =>
    list.map((entry) => {
      if (typeof entry !== 'number') return entry;
      const message = published.get(entry);
      if (message === undefined) throw damaged(`the snapshot names the message of line ${entry}, which is not a message-published line before it`);
      return message;
    });
  const named = (key: string): object => {
    const list = snapshot[key];
    return Array.isArray(list) ? { [key]: whole(list) } : {};
  };
  return { ...snapshot, ...named('messages'), ...named('pending') };
}

/**
 * Every run event of a run folder, in order, with its `seq` (the journal's own records left out).
 * A run recorded by an older sop (`events.jsonl`, no journal) is read from that file. A folder that
 * does not exist, or holds neither file (a mistyped id, the runs folder itself), is RUN_NOT_FOUND:
 * an empty list would read as a run that did nothing.
 */
export function readRunEvents(runDir: string): JournalLine[] {
  const lines = readLines(path.join(runDir, JOURNAL_FILE)) ?? readLines(path.join(runDir, 'events.jsonl'));
  if (!lines) throw runNotFound(runDir);
  return lines.records.map((line) => line.record).filter((record) => !recordTypes.has(record.type));
}

/** RUN_NOT_FOUND for a folder with no run record, worded as `sop resume` words a missing run. */
export function runNotFound(runDir: string): SopError {
  const why = existsSync(runDir) ? `the folder has no run record (no ${JOURNAL_FILE}, nor an older version's events.jsonl)` : 'the folder does not exist';
  return new SopError('RUN_NOT_FOUND', `no run ${runDir}: ${why}`, {
    hint: 'list runs with `listRuns(runsDir)` (`sop runs`), or pass the folder of a run (`result.runDir`, default under <cwd>/.sop/runs)',
  });
}

/**
 * Parsed whole lines of a JSONL journal file; undefined when it does not exist. Only the last line
 * may be torn (no newline at its end, or not a journal record: a crash or a power loss in the
 * middle of the last write); it is left out and reported with `torn`. Every other line must be a
 * record whose `seq` follows the one before (gapless from 1; events a line implies, see
 * `ImpliedLines`, are records with their own seqs, and `line` is the file line that holds a
 * record), else the file is refused as damaged (`RUN_JOURNAL_DAMAGED`): a resume from it would
 * continue from a wrong state.
 */
export function readLines(file: string): { records: Array<{ record: JournalLine; bytes: number; line: number }>; bytes: number; fileBytes: number; torn: boolean; timeMs: number; zeroTimesOmitted: boolean; lastOfType: Record<string, Record<string, unknown>> } | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const records: Array<{ record: JournalLine; bytes: number; line: number }> = [];
  const clock = new EventClock();
  const answerTexts = new AnswerTexts();
  const repeated = new RepeatedFields();
  const scope = new ScopeFields();
  const commits = new CommitFields();
  let start = 0;
  let torn = false;
  /** The line number in the file (with implied events, a line's seq may be past it). */
  let line = 0;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start);
    if (end === -1) {
      torn = true; // no newline: the last write was cut short
      break;
    }
    line += 1;
    const expected = records.length + 1;
    const record = parseLine(data.toString('utf8', start, end));
    if (!record) {
      // Not a record: torn when it is the last line (cut at a newline inside a value, or zeros
      // after a power loss); anywhere else the file was damaged after it was written.
      if (end + 1 >= data.length) {
        torn = true;
        break;
      }
      throw journalDamaged(file, line, undefined, `the line is not a journal record (a JSON object with seq and type) where seq ${expected} belongs`);
    }
    if (record.seq !== expected) {
      const what = record.seq < expected ? 'repeats an earlier seq' : 'skips a seq';
      throw journalDamaged(file, line, record.seq, `the line ${what}: seq ${expected} belongs there (seq is gapless from 1, a line is missing, repeated or out of order)`);
    }
    if (line === 1) refuseNewerVersion(file, record);
    clock.decode(record);
    const wrong = scope.decode(record) ?? repeated.decode(record) ?? answerTexts.decode(record);
    if (wrong) throw journalDamaged(file, line, record.seq, wrong);
    AnswerKeys.decode(record);
    commits.decode(record);
    const implied = ImpliedLines.unfold(record);
    if (typeof implied === 'string') throw journalDamaged(file, line, record.seq, implied);
    records.push({ record, bytes: end + 1 - start, line });
    for (const event of implied) records.push({ record: event, bytes: 0, line });
    start = end + 1;
  }
  return { records, bytes: start, fileBytes: data.length, torn, timeMs: clock.ms, zeroTimesOmitted: clock.zeroOmitted, lastOfType: repeated.lastOfType() };
}

/**
 * A journal whose `run-info` line names a version after this sop's: its lines may leave out what
 * this reader cannot rebuild, so reading it could resume from a wrong state (`RUN_JOURNAL_NEWER`).
 */
function refuseNewerVersion(file: string, record: JournalLine): void {
  const version = record.type === 'run-info' ? record['journalVersion'] : undefined;
  if (typeof version !== 'number' || version <= JOURNAL_VERSION) return;
  throw new SopError('RUN_JOURNAL_NEWER', `${file} was written by a newer sop (journal version ${version}; this sop reads versions up to ${JOURNAL_VERSION})`, {
    hint: 'resume, report or list it with the sop version that started the run, or upgrade sop',
  });
}

/**
 * The one error for a journal that is not what sop wrote. `line` is the line number in the file
 * (`JournalRead.lineOf` gives it for a record the reader accepted).
 */
export function journalDamaged(file: string, line: number, seq: number | undefined, what: string): SopError {
  return new SopError('RUN_JOURNAL_DAMAGED', `${file} is damaged at line ${line}${seq === undefined ? '' : ` (seq ${seq})`}: ${what}`, {
    // Said because a user would otherwise expect to pay every answered call again.
    hint: 'the run cannot be resumed safely from it: restore the file from a backup, or run it again with `sop run` and the same inputs: the calls it had answered that the response cache kept (unless it ran with --no-cache) are not paid again',
  });
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
function dropAnswersUpTo(read: JournalRead, round: number): number {
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
  const decision = record['decision'];
  return typeof record['key'] === 'string' && typeof record['round'] === 'number' && decision !== null && typeof decision === 'object' && typeof (decision as Record<string, unknown>)['kind'] === 'string';
}

/** `{ "path": "sha256", ... }`. */
function isStringMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

/** A round or a seq: a whole number, 0 or more. */
function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
