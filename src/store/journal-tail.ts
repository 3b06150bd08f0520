import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from './run-journal.js';

/** How a run's journal ends, judged from its last line only. */
export type JournalEnd =
  /** A `run-closed` line (a final snapshot before journal version 5): the run ended with this status after `round` rounds. */
  | { ended: true; status: string; round: number | undefined }
  /** Anything else (an event, a round-commit, a running snapshot, a torn line): no process ended the run. */
  | { ended: false };

/**
 * Bytes read first backwards; a step doubles until the last line's start is found. A finished
 * run's last line (`run-closed`) is under 100 bytes: `sop runs` reads one of every run.
 */
const FIRST_CHUNK_BYTES = 1024;

/** Bytes read per step backwards by `readCommittedRound`, through lines of any length (a model's answer). */
const BACKWARD_STEP_BYTES = 16 * 1024;

/**
 * How a run folder's journal ends; undefined when it has none. Reads only its last line, backwards
 * from the end (`sop runs` stays fast however many and however long the runs are). A finished run's
 * journal ends with its `run-closed` line (before version 5: a final snapshot, whose status is not `running`).
 */
export function readJournalEnd(runDir: string): JournalEnd | undefined {
  return withJournal(runDir, (fd) => {
    const line = lastLine(fd);
    return line === undefined ? { ended: false } : endOf(line);
  });
}

/** `read` of the run folder's open journal, closed after; undefined when the journal cannot be opened. */
function withJournal<T>(runDir: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number;
  try {
    fd = openSync(path.join(runDir, JOURNAL_FILE), 'r');
  } catch {
    return undefined;
  }
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}

/** The text of the file's last line when the file ends with a newline (else it is torn: undefined). */
function lastLine(fd: number): string | undefined {
  const size = fstatSync(fd).size;
  if (size === 0) return undefined;
  let chunk = FIRST_CHUNK_BYTES;
  for (;;) {
    const start = Math.max(0, size - chunk);
    const data = Buffer.allocUnsafe(size - start);
    readSync(fd, data, 0, data.length, start);
    if (data[data.length - 1] !== 0x0a) return undefined;
    const previous = data.lastIndexOf(0x0a, data.length - 2);
    if (previous !== -1) return data.toString('utf8', previous + 1, data.length - 1);
    if (start === 0) return data.toString('utf8', 0, data.length - 1);
    chunk *= 2;
  }
}

function endOf(text: string): JournalEnd {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return { ended: false };
  }
  if (line === null || typeof line !== 'object') return { ended: false };
  const { type, status, round } = line as Record<string, unknown>;
  if ((type !== 'run-closed' && type !== 'snapshot') || typeof status !== 'string' || status === 'running') return { ended: false };
  return { ended: true, status, round: typeof round === 'number' ? round : undefined };
}

/** Lines that say which round the run had completed: a boundary, or an earlier attempt's end. */
const ROUND_LINE = /"type":"(?:round-commit|snapshot|run-closed)"/;

/**
 * The round of the journal's last clean boundary (its last `round-commit` or `snapshot`, or an
 * earlier attempt's `run-closed`): what a run killed in the middle of a round had completed, and
 * what a resume continues after. Read backwards from the end, a line at a time, stopping at the
 * first such line (`sop runs` of a running or crashed run, `sop report` of one); undefined when there is none.
 */
export function readCommittedRound(runDir: string): number | undefined {
  return withJournal(runDir, (fd) => {
    let end = fstatSync(fd).size;
    // The start of a line cut by the chunk before (read later in the file), kept until its start is read.
    let rest = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - BACKWARD_STEP_BYTES);
      const data = Buffer.alloc(end - start);
      readSync(fd, data, 0, data.length, start);
      const text = Buffer.concat([data, rest]);
      const lines = text.toString('utf8').split('\n');
      // The first piece may be the end of a line that starts in the chunk before.
      rest = start === 0 ? Buffer.alloc(0) : Buffer.from(lines.shift() ?? '', 'utf8');
      for (const line of lines.reverse()) {
        const round = ROUND_LINE.test(line) ? roundOf(line) : undefined;
        if (round !== undefined) return round;
      }
      end = start;
    }
    return undefined;
  });
}

function roundOf(text: string): number | undefined {
  try {
    const round = (JSON.parse(text) as Record<string, unknown>)['round'];
    return typeof round === 'number' ? round : undefined;
  } catch {
    return undefined;
  }
}
