import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { ensureFolder, guardWrite, mkdirCode, storageError, writeFileAtomicSync } from '../files/index.js';
import type { RunInfoRecord, SopTextRecord } from './run-info.js';
import { JOURNAL_FILE, JOURNAL_VERSION, RunJournal, type Durability, type JournalOptions, type JournalPosition, type JournalReplica } from './run-journal.js';

/** How a run's journal is written: its durability and, for a queued run, its replica. */
export interface RecordOptions {
  durability?: Durability | undefined;
  replica?: JournalReplica | undefined;
}

function journalOptions(options: RecordOptions): JournalOptions {
  return { ...(options.durability ? { durability: options.durability } : {}), ...(options.replica ? { replica: options.replica } : {}) };
}

/** File names inside a run folder; `sop runs`/`sop report` read the same names. */
export const RUN_FILES = {
  journal: JOURNAL_FILE,
  report: 'report.json',
  /** In the copy of a queued run brought home: the queue it runs on (`sop resume RUN --queue`), as JSON. */
  queued: 'queued.json',
} as const;

/** What a run records when it starts: the journal's `run-info` and `sop-text` lines. */
export interface RunRecordStart {
  sopText: string;
  runInfo: Omit<RunInfoRecord, 'type' | 'journalVersion'>;
}

/**
 * One run's record on disk: `<runsDir>/<run-id>/` with `journal.jsonl` (what the run is and the
 * SOP as run in its first two lines, then events, answers, round commits, snapshots) and, at the
 * end, `report.json` (beside them the run's `run.lock`, see `RunLock`).
 *
 * Two ways to use it: `create` and the writes below, one after the other; or, for a run, `begin`
 * and `finish`. `begin` creates the run folder at once (a clash is refused before anything runs)
 * and creates the journal on the next turn of the event loop: with a model that takes time to
 * answer, that is while the run waits for its first reply, not before its first call. Creating a
 * file can take a millisecond on a busy disk; a short run would otherwise spend more time there
 * than running.
 */
export class RunStore {
  readonly dir: string;
  readonly journal: RunJournal;
  /** A resumed run's folder: its `report.json` exists and is replaced atomically. */
  private readonly reopened: boolean;
  /** Settles once the files `begin` defers are written; never rejects (see `failure`). */
  private started: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(dir: string, options: JournalOptions = {}) {
    this.dir = dir;
    this.reopened = options.position !== undefined;
    this.journal = new RunJournal(path.join(dir, RUN_FILES.journal), options);
  }

  /**
   * An existing run folder, for `sop resume`: its journal is appended to after `position` (from
   * `readRunJournal`; a torn last line is cut off first), numbering going on.
   */
  static reopen(dir: string, position: JournalPosition, options: RecordOptions = {}): RunStore {
    return new RunStore(path.resolve(dir), { position, ...journalOptions(options) });
  }

  /** Creates the run folder; refuses to reuse an existing one (run ids are unique). */
  static create(runsDir: string, runId: string, durability?: Durability): RunStore {
    return new RunStore(createRunFolder(runsDir, runId), durability ? { durability } : {});
  }

  /**
   * Creates the run folder and its `journal.jsonl` now, with its first line, what the run is and
   * who holds it (`run-info`: the workspace's lock is a second name of this file, see
   * `lockWorkspace`, and a refusal or a take-over reads its holder there); writes the SOP text as
   * run (`sop-text`) on the next turn of the event loop (or with anything appended sooner): with a
   * model that takes time to answer, while the run waits for its first reply.
   * End with `finish`, or `discard` for a run refused before it began.
   */
  static begin(runsDir: string, runId: string, start: RunRecordStart, options: RecordOptions = {}): RunStore {
    const store = new RunStore(createRunFolder(runsDir, runId), { deferOpen: true, ...journalOptions(options) });
    const [info, sopText] = runStartRecords(start);
    // The SOP's text (a large SOP's takes a millisecond or two to encode) waits for the next turn.
    store.journal.startWith(() => [sopText]);
    try {
      // `run-info` at once: it names the holder of the workspace's hold, a link to this file.
      store.journal.create(info);
    } catch (error) {
      store.discard();
      throw error;
    }
    store.started = new Promise((resolve) => {
      setImmediate(() => {
        try {
          store.journal.open();
        } catch (error) {
          store.failure = error;
        }
        resolve();
      });
    });
    return store;
  }

  /** Removes a run folder `begin` made, before anything was written to it: the run was refused. */
  discard(): void {
    this.journal.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * `report.json`: a new run's is a new file, written plainly (no rename, no fsync: a run killed
   * before it ends has no report, and `sop runs` shows it as crashed); a resumed run's replaces
   * the previous report, atomically.
   */
  writeReport(report: object, options: ReportLayout = {}): void {
    const file = path.join(this.dir, RUN_FILES.report);
    const text = jsonText(report, options.compact === true);
    if (this.reopened) writeFileAtomicSync(file, text);
    else guardWrite(file, () => writeFileSync(file, text));
  }

  close(): void {
    this.journal.close();
  }

  /**
   * Ends a record started with `begin`: waits for the deferred journal, writes `report.json` and
   * closes the journal. Throws the first write error, if any.
   */
  async finish(report: object, layout: ReportLayout = {}): Promise<void> {
    await this.started;
    try {
      if (this.failure) throw this.failure;
      // A queued run's journal is whole in its replica before the run counts as finished.
      await this.journal.replicaSynced();
      this.writeReport(report, layout);
    } finally {
      this.close();
    }
  }
}

/**
 * Makes the runs folder when it is missing; refuses a file in its place (USAGE). `missing`: the
 * caller already knows it is not there (a create inside it failed with ENOENT).
 */
function ensureRunsFolder(runsDir: string, missing = false): void {
  if (!missing && existsSync(runsDir) && !statSync(runsDir).isDirectory()) {
    throw new SopError('USAGE', `the runs folder ${runsDir} is a file, not a folder`, {
      hint: 'pass --runs-dir with a folder for run records (it is created when missing; default .sop/runs)',
    });
  }
  ensureFolder(runsDir);
}

function createRunFolder(runsDir: string, runId: string): string {
  const dir = path.join(path.resolve(runsDir), runId);
  // The usual case in one system call (the runs folder exists); anything else takes the checks below.
  const code = mkdirCode(dir);
  if (code === undefined) return dir;
  // judged below; ENOENT: the runs folder is missing (a file there gives ENOTDIR), made below
  try {
    ensureRunsFolder(path.dirname(dir), code === 'ENOENT');
    mkdirSync(dir);
  } catch (error) {
    if (error instanceof SopError) throw error;
    const storage = storageError(error, dir);
    if (storage) throw storage;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' ? 'it already exists' : (error as Error).message;
    throw new SopError('USAGE', `cannot create the run folder ${dir}: ${reason}`, {
      hint: code === 'EEXIST' ? 'choose another run id' : 'check --runs-dir and its permissions',
    });
  }
  return dir;
}

/** A version 2 journal's first two lines. */
export function runStartRecords(start: RunRecordStart): [RunInfoRecord, SopTextRecord] {
  return [
    { type: 'run-info', journalVersion: JOURNAL_VERSION, ...start.runInfo },
    { type: 'sop-text', text: start.sopText },
  ];
}

/** How `report.json` is laid out: indented for people (default), or on one line (`compact`). */
export interface ReportLayout {
  compact?: boolean;
}

function jsonText(value: object, compact: boolean): string {
  return `${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`;
}
