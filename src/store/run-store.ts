import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { EventLog } from './event-log.js';

/** File names inside a run folder; `sop runs`/`sop report` read the same names. */
export const RUN_FILES = {
  sop: 'sop.yaml',
  run: 'run.json',
  events: 'events.jsonl',
  report: 'report.json',
} as const;

/**
 * One run's record on disk: `<runsDir>/<run-id>/` with the SOP as run, `run.json`,
 * `events.jsonl` and, at the end, `report.json`.
 */
export class RunStore {
  readonly dir: string;
  readonly events: EventLog;

  private constructor(dir: string) {
    this.dir = dir;
    this.events = new EventLog(path.join(dir, RUN_FILES.events));
  }

  /** Creates the run folder; refuses to reuse an existing one (run ids are unique). */
  static create(runsDir: string, runId: string): RunStore {
    const dir = path.join(path.resolve(runsDir), runId);
    try {
      mkdirSync(path.dirname(dir), { recursive: true });
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EEXIST' ? 'it already exists' : (error as Error).message;
      throw new SopError('USAGE', `cannot create the run folder ${dir}: ${reason}`, {
        hint: code === 'EEXIST' ? 'choose another run id' : 'check --runs-dir and its permissions',
      });
    }
    return new RunStore(dir);
  }

  writeSop(text: string): void {
    writeFileSync(path.join(this.dir, RUN_FILES.sop), text);
  }

  writeRunInfo(info: object): void {
    writeJson(path.join(this.dir, RUN_FILES.run), info);
  }

  writeReport(report: object): void {
    writeJson(path.join(this.dir, RUN_FILES.report), report);
  }

  close(): void {
    this.events.close();
  }
}

function writeJson(file: string, value: object): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
