import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The journal's file name inside a run folder. */
export const RESPONSES_FILE = 'responses.jsonl';

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

/**
 * `responses.jsonl`: every completed model call of a run, one line each, written the moment the
 * answer arrives (one `write` per line, the file kept open). The event log is written per round;
 * this journal is what survives a crash in the middle of one, so a resumed run answers the calls
 * the crashed process already paid for instead of making them again.
 */
export class ResponseJournal<Entry = JournalEntry> {
  private fd: number | undefined;
  private closed = false;

  constructor(readonly file: string) {}

  /**
   * Appends one line with one synchronous `write`: once it returns, the line survives the process
   * being killed. No fsync (as for the event log): it would block the event loop for milliseconds
   * per answer on a disk; a machine crash may lose what the OS had not flushed yet.
   */
  append(entry: Entry): void {
    if (this.closed) return;
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The journal of a run folder, in answer order; a missing file or a torn last line is skipped. */
export function readJournal(runDir: string): JournalEntry[] {
  return readJournalLines(path.join(runDir, RESPONSES_FILE), (entry: JournalEntry) => typeof entry.key === 'string' && typeof entry.text === 'string' && typeof entry.round === 'number');
}

/** `approvals.jsonl`: each decision a person gave on the terminal, so a resumed round does not ask again. */
export const APPROVALS_FILE = 'approvals.jsonl';

export interface ApprovalEntry {
  round: number;
  /** The gate, action and foreach index, and the sha256 of the output decided on. */
  key: string;
  decision: { kind: 'approve' } | { kind: 'reject'; feedback: string } | { kind: 'edit'; content: string };
}

export function readApprovals(runDir: string): ApprovalEntry[] {
  return readJournalLines(path.join(runDir, APPROVALS_FILE), (entry: ApprovalEntry) => typeof entry.key === 'string' && typeof entry.round === 'number' && typeof entry.decision === 'object');
}

function readJournalLines<Entry>(file: string, valid: (entry: Entry) => boolean): Entry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as Entry;
      if (entry !== null && typeof entry === 'object' && valid(entry)) entries.push(entry);
    } catch {
      // A line torn by a crash: that call is made (or that question asked) again.
    }
  }
  return entries;
}
