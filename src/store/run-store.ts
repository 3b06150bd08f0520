import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { ensureFolder, guardWrite, storageError, writeFileAtomicSync } from '../files/index.js';
import { EventLog } from './event-log.js';

/** File names inside a run folder; `sop runs`/`sop report` read the same names. */
export const RUN_FILES = {
  sop: 'sop.yaml',
  run: 'run.json',
  events: 'events.jsonl',
  report: 'report.json',
} as const;

/** What a run records when it starts: the SOP as run and `run.json`. */
export interface RunRecordStart {
  sopText: string;
  runInfo: object;
}

/**
 * One run's record on disk: `<runsDir>/<run-id>/` with the SOP as run, `run.json`,
 * `events.jsonl` and, at the end, `report.json`.
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
  readonly events: EventLog;
  /** Settles once the files `begin` defers are written; never rejects (see `failure`). */
  private started: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(dir: string, options: { deferOpen?: boolean; continueLog?: boolean } = {}) {
    this.dir = dir;
    this.events = new EventLog(path.join(dir, RUN_FILES.events), options);
  }

  /** An existing run folder, for `sop resume`: its event log is appended to, numbering going on. */
  static reopen(dir: string): RunStore {
    return new RunStore(path.resolve(dir), { continueLog: true });
  }

  /** Creates the run folder; refuses to reuse an existing one (run ids are unique). */
  static create(runsDir: string, runId: string): RunStore {
    return new RunStore(createRunFolder(runsDir, runId));
  }

  /**
   * Creates the run folder now; writes `sop.yaml`, `run.json` and opens `events.jsonl` on the
   * next turn of the event loop (events appended meanwhile wait in memory). End with `finish`.
   */
  static begin(runsDir: string, runId: string, start: RunRecordStart): RunStore {
    const store = new RunStore(createRunFolder(runsDir, runId), { deferOpen: true });
    store.started = new Promise((resolve) => {
      setImmediate(() => {
        try {
          store.writeSop(start.sopText);
          store.writeRunInfo(start.runInfo);
          store.events.open();
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

  /** `report.json` is replaced when a run is resumed: atomically. */
  writeReport(report: object): void {
    writeFileAtomicSync(path.join(this.dir, RUN_FILES.report), jsonText(report));
  }

  close(): void {
    this.events.close();
  }

  /**
   * Ends a record started with `begin`: waits for the deferred files, writes `report.json` and
   * closes the event log. Throws the first write error, if any.
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
