import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { ensureFolder, guardWrite, storageError, writeFileAtomicSync } from '../files/index.js';
import { JOURNAL_FILE, RunJournal, type Durability, type JournalPosition } from './run-journal.js';

/** File names inside a run folder; `sop runs`/`sop report` read the same names. */
export const RUN_FILES = {
  sop: 'sop.yaml',
  run: 'run.json',
  journal: JOURNAL_FILE,
  report: 'report.json',
} as const;

/** What a run records when it starts: the SOP as run and `run.json`. */
export interface RunRecordStart {
  sopText: string;
  runInfo: object;
}

/**
 * One run's record on disk: `<runsDir>/<run-id>/` with the SOP as run, `run.json`,
 * `journal.jsonl` (events, answers, round commits, snapshots) and, at the end, `report.json`.
 *
 * Two ways to use it: `create` and the writes below, one after the other; or, for a run, `begin`
 * and `finish`. `begin` creates the run folder at once (a clash is refused before anything runs)
 * and writes the other files on the next turn of the event loop: with a model that takes time to
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

  private constructor(dir: string, options: { durability?: Durability; deferOpen?: boolean; position?: JournalPosition } = {}) {
    this.dir = dir;
    this.reopened = options.position !== undefined;
    this.journal = new RunJournal(path.join(dir, RUN_FILES.journal), options);
  }

  /**
   * An existing run folder, for `sop resume`: its journal is appended to after `position` (from
   * `readRunJournal`; a torn last line is cut off first), numbering going on.
   */
  static reopen(dir: string, position: JournalPosition, durability?: Durability): RunStore {
    return new RunStore(path.resolve(dir), { position, ...(durability ? { durability } : {}) });
  }

  /** Creates the run folder; refuses to reuse an existing one (run ids are unique). */
  static create(runsDir: string, runId: string, durability?: Durability): RunStore {
    return new RunStore(createRunFolder(runsDir, runId), durability ? { durability } : {});
  }

  /**
   * Creates the run folder now; writes `sop.yaml`, `run.json` and opens `journal.jsonl` on the
   * next turn of the event loop (batches appended meanwhile wait in memory; a record that must be
   * saved at once opens it earlier). End with `finish`.
   */
  static begin(runsDir: string, runId: string, start: RunRecordStart, durability?: Durability): RunStore {
    const store = new RunStore(createRunFolder(runsDir, runId), { deferOpen: true, ...(durability ? { durability } : {}) });
    store.started = new Promise((resolve) => {
      setImmediate(() => {
        try {
          store.writeSop(start.sopText);
          store.writeRunInfo(start.runInfo);
          store.journal.open();
        } catch (error) {
          store.failure = error;
        }
        resolve();
      });
    });
    return store;
  }

  // `sop.yaml` and `run.json` are new files written once: nothing to replace, so a plain write.
  writeSop(text: string): void {
    const file = path.join(this.dir, RUN_FILES.sop);
    guardWrite(file, () => writeFileSync(file, text));
  }

  writeRunInfo(info: object): void {
    const file = path.join(this.dir, RUN_FILES.run);
    guardWrite(file, () => writeFileSync(file, jsonText(info)));
  }

  /**
   * `report.json`: a new run's is a new file, written plainly (no rename, no fsync: a run killed
   * before it ends has no report, and `sop runs` shows it as crashed); a resumed run's replaces
   * the previous report, atomically.
   */
  writeReport(report: object): void {
    const file = path.join(this.dir, RUN_FILES.report);
    if (this.reopened) writeFileAtomicSync(file, jsonText(report));
    else guardWrite(file, () => writeFileSync(file, jsonText(report)));
  }

  close(): void {
    this.journal.close();
  }

  /**
   * Ends a record started with `begin`: waits for the deferred files, writes `report.json` and
   * closes the journal. Throws the first write error, if any.
   */
  async finish(report: object): Promise<void> {
    await this.started;
    try {
      if (this.failure) throw this.failure;
      this.writeReport(report);
    } finally {
      this.close();
    }
  }
}

function createRunFolder(runsDir: string, runId: string): string {
  const dir = path.join(path.resolve(runsDir), runId);
  if (existsSync(path.dirname(dir)) && !statSync(path.dirname(dir)).isDirectory()) {
    throw new SopError('USAGE', `the runs folder ${path.dirname(dir)} is a file, not a folder`, {
      hint: 'pass --runs-dir with a folder for run records (it is created when missing; default .sop/runs)',
    });
  }
  try {
    ensureFolder(path.dirname(dir));
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

function jsonText(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
