import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isSopError, SopError } from '../errors/index.js';
import { readRunJournal } from './journal-reader.js';
import { readOldCheckpoint } from './journal-migration.js';
import { readCommittedRound, readJournalEnd, type JournalEnd } from './journal-tail.js';
import { readJournalVersion, readRunHead, runFolderInProject, type RelativePlaces } from './run-info.js';
import { RunLock } from './run-lock.js';
import { JOURNAL_VERSION } from './run-journal.js';
import { RUN_FILES } from './run-store.js';

/** One line of `sop runs`; `runId` and `runDir` as a `RunResult` names them. */
export interface RunSummary {
  /**
   * The run folder's name: what `sop resume ID` and `sop report ID` find it by. A copied folder keeps
   * the id its journal records, which names the original folder; listing that showed two rows of one
   * id, and resuming by it continued the original.
   */
  runId: string;
  /** SOP name. */
  sop: string;
  /**
   * `running` while a live process holds the run folder (a run, or a resume); else the status its
   * journal ends with (its run-closed line, or an older final snapshot); `crashed` when the journal does not end with one (the
   * process was killed, also a resume of a run that had ended before: `sop resume` continues it).
   * A run folder of an older version (no journal) has the status of its checkpoint.json (its counts
   * from its report when that tells the same status); a run whose
   * journal a newer sop wrote is `newer`; a run whose journal is damaged (`sop report` and `sop resume`
   * refuse it) and whose report.json does not tell how it ended is `unreadable` (see `damage`).
   */
  status: string;
  /** Status `unreadable`: the damage found in its journal.jsonl (the file, line and what is wrong). */
  damage?: string;
  /** ISO time the run started. */
  started: string;
  /** Rounds completed: when it ended, or, running or crashed, its journal's last clean boundary (the round in progress is not counted). */
  rounds: number;
  /** Exit code when it ended, or null (running, crashed). */
  exitCode: number | null;
  /** When it ended: its working time over every attempt (report.json's `durationMs`; pauses between attempts not counted). */
  durationMs?: number;
  /** The run folder. */
  runDir: string;
}

/**
 * Runs in a runs folder, newest first. A missing folder has none (no run recorded there yet); a
 * file in its place is refused (USAGE), as `sop runs --runs-dir FILE` refuses it.
 */
export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  return listRunHeads(runsDir).map(withStanding);
}

/**
 * What a run's first journal line tells (`RunSummary` but how it stands): enough to order and to
 * filter by SOP and start, so a listing reads how a run stands (`withStanding`) only of the runs it
 * shows (`sop runs --limit N` of thousands reads N).
 */
export interface RunHead extends Pick<RunSummary, 'runId' | 'sop' | 'started' | 'runDir'> {
  /** The journal's version (undefined: a run folder of an older version, without journal). */
  journalVersion: number | undefined;
  /**
   * The run's workspace as its run-info records it (found from the run folder when the project
   * moved with it); undefined when not recorded. `sop runs` tells an eval's runs by it: their
   * workspaces are in the eval's record (`.sop/evals/ID/workspaces/RUN_ID`).
   */
  workspace: string | undefined;
}

/** A run's workspace: by its place within the project when the run folder moves with it, else as recorded. */
function workspaceOf(info: Record<string, unknown>, runDir: string): string | undefined {
  const relative = info['relative'] as RelativePlaces | undefined;
  if (typeof relative?.project === 'string' && typeof relative.workspace === 'string' && runFolderInProject(relative)) return path.resolve(runDir, relative.project, relative.workspace);
  return typeof info['workspace'] === 'string' ? info['workspace'] : undefined;
}

/** The runs of `listRuns`, in its order, without how each stands. */
export function listRunHeads(runsDir: string): RunHead[] {
  let names: string[];
  try {
    names = readdirSync(runsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new SopError('USAGE', `the runs folder ${runsDir} is a file, not a folder`, { hint: 'give the folder run records are written to (default <cwd>/.sop/runs)' });
    // Missing (no run yet) or unreadable: nothing to list, as before.
    return [];
  }
  const heads: RunHead[] = [];
  for (const name of names.sort().reverse()) {
    const dir = path.join(runsDir, name);
    const head = readRunHead(dir);
    if (!head) continue;
    const { info } = head;
    const sop = info['sop'] as { name?: unknown } | undefined;
    heads.push({ runId: name, sop: typeof sop?.name === 'string' ? sop.name : '?', started: typeof info['started'] === 'string' ? info['started'] : '', runDir: dir, journalVersion: head.journalVersion, workspace: workspaceOf(info, dir) });
  }
  // Ids order runs by the second they started only; `started` has milliseconds.
  return heads.sort((a, b) => (a.started === b.started ? 0 : a.started < b.started ? 1 : -1));
}

/** The listed run: its head and how it stands now (`runStanding`). */
export function withStanding(head: RunHead): RunSummary {
  return { runId: head.runId, sop: head.sop, ...runStanding(head.runDir, head.journalVersion), started: head.started, runDir: head.runDir };
}

/**
 * How a run stands now, as `sop runs` lists it (and `sop report` reports it): `running` while a live
 * process holds it (its journal may end with an earlier attempt's end: a resume in progress), else
 * `newer`, else how its journal ends (`crashed` when it does not end with the run's end).
 * `journalVersion`: the run's, when the caller has read its `run-info` line already (`readRunHead`).
 */
export function runStanding(dir: string, journalVersion: number | undefined = readJournalVersion(dir)): Pick<RunSummary, 'status' | 'rounds' | 'exitCode' | 'damage' | 'durationMs'> {
  // `running`: a live process holds the run folder (the run's creator, or a resume's `run.lock`);
  // the rounds committed so far, as `sop report` of a live run counts them (its journal's last boundary).
  if (RunLock.isHeld(dir)) return { status: 'running', rounds: readCommittedRound(dir) ?? 0, exitCode: null };
  return journalVersion !== undefined && journalVersion > JOURNAL_VERSION ? NEWER : outcome(dir);
}

/**
 * A run whose journal a newer sop wrote (`sop report`/`sop resume` refuse it, exit 19): its lines may
 * leave out what this sop would read its end from, so it is listed as `newer`, not with a status
 * this sop may have misread.
 */
const NEWER = { status: 'newer', rounds: 0, exitCode: null } as const;

/**
 * How a run no live process holds stands: its journal's end decides (a report.json can be older
 * than the journal: a killed resume leaves the report of the attempt before). The counts come from
 * the report written at that end; a run of an older version (no journal) is its report alone.
 */
function outcome(dir: string): Pick<RunSummary, 'status' | 'rounds' | 'exitCode' | 'damage' | 'durationMs'> {
  const journalEnd = readJournalEnd(dir);
  // A run of an older version (no journal) ends as its checkpoint says: a resume of it killed left the report of the attempt before.
  const old = journalEnd === undefined ? readOldCheckpoint(dir) : undefined;
  const end: JournalEnd | undefined = journalEnd ?? (old && (old.status === 'running' ? { ended: false } : { ended: true, status: old.status, round: old.round }));
  const report = readJson(path.join(dir, RUN_FILES.report));
  const status = end === undefined ? report?.['status'] : end.ended ? end.status : 'crashed';
  // Only the journal's last line was read: unless the report written at that end confirms it, the
  // lines before could be damaged (a run-closed line after a damaged middle is not "completed").
  if (end !== undefined && report?.['status'] !== status) {
    const damage = journalDamage(dir);
    if (damage !== undefined) return { status: 'unreadable', rounds: 0, exitCode: null, damage };
  }
  // Killed in the middle of a round: the rounds its journal committed (what a resume continues after).
  if (status === 'crashed' || typeof status !== 'string') return { status: 'crashed', rounds: end === undefined ? 0 : (old?.round ?? readCommittedRound(dir) ?? 0), exitCode: null };
  // The report belongs to this end when it tells the same status (a kill between the final
  // snapshot and the report leaves an older one: then the snapshot's round and no exit code).
  const current = report?.['status'] === status;
  const round = end?.ended ? end.round : undefined;
  return {
    status,
    rounds: current && typeof report?.['rounds'] === 'number' ? report['rounds'] : (round ?? 0),
    exitCode: current && typeof report?.['exitCode'] === 'number' ? report['exitCode'] : null,
    ...(current && typeof report?.['durationMs'] === 'number' ? { durationMs: report['durationMs'] } : {}),
  };
}

/** What `sop report` and `sop resume` refuse the run's journal for; undefined when it reads. */
function journalDamage(dir: string): string | undefined {
  try {
    readRunJournal(dir);
    return undefined;
  } catch (error) {
    if (isSopError(error)) return error.message;
    throw error;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
