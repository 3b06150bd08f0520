import { linkSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { guardWrite, writeFileAtomicSync } from '../files/index.js';
import { isAnswer, isApproval, readLines } from './journal-reader.js';
import { JOURNAL_FILE } from './run-journal.js';

/** The files of a run recorded by sop before the journal (read only to migrate it). */
const OLD_FILES = { checkpoint: 'checkpoint.json', events: 'events.jsonl', responses: 'responses.jsonl', approvals: 'approvals.jsonl' } as const;

/**
 * Gives a run folder recorded before the journal (`checkpoint.json`, `events.jsonl`,
 * `responses.jsonl`, `approvals.jsonl`) its `journal.jsonl`: the old events (their seq kept), the
 * old answers and decisions, then the old checkpoint as the snapshot, numbered on. The old files
 * are left as they were, so the folder still resumes with the old version. Returns false when
 * there is nothing to migrate.
 *
 * Safe without the run's lock (`readResumePoint` may be called before taking it): the journal is
 * written whole to a temporary file and linked into place only if no `journal.jsonl` exists (a
 * crash leaves no half journal, and a journal another process created, and may be appending to,
 * is never replaced). Two processes migrating at once build the same text from the same old files.
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
  for (const entry of readOldEntries(path.join(runDir, OLD_FILES.responses), isAnswer)) add('call-answered', entry);
  for (const entry of readOldEntries(path.join(runDir, OLD_FILES.approvals), isApproval)) add('approval-given', entry);
  // Last, as the old run ended with it: a journal ends with how the run ended (`sop runs` reads its
  // last line), and the reader keeps the answers of rounds after the snapshot's wherever they are.
  add('snapshot', checkpoint);
  const temporary = `${journalFile}.migrating-${process.pid}`;
  writeFileAtomicSync(temporary, text);
  try {
    guardWrite(journalFile, () => linkSync(temporary, journalFile));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false; // another process migrated it first: its journal stands
  } finally {
    rmSync(temporary, { force: true });
  }
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

/**
 * How a run folder recorded before the journal stands by its `checkpoint.json` (written at every
 * round boundary and when the run ended): its status (`running` when killed after the boundary)
 * and the rounds completed; undefined when it has none. Its report.json may be an earlier
 * attempt's (a resume killed leaves the report of the pause before).
 */
export function readOldCheckpoint(runDir: string): { status: string; round: number } | undefined {
  try {
    const { status, round } = JSON.parse(readFileSync(path.join(runDir, OLD_FILES.checkpoint), 'utf8')) as Record<string, unknown>;
    return typeof status === 'string' && typeof round === 'number' ? { status, round } : undefined;
  } catch {
    return undefined;
  }
}
