/**
 * An eval's record, `.sop/evals/<id>/` (docs/eval.md): `eval.json` says what the eval is (the SOP,
 * the dataset, the models, the repeats), `runs.jsonl` lists each run as it starts (its run id) and
 * as it is judged (its `CaseRun`), one appended line each, and `results.json` holds the last
 * `EvalResult`. `sop eval --resume ID` reads it back: judged runs are kept, a run that started but
 * was not judged is resumed from its own run record, the others start. A torn last line (the
 * process killed while appending) is ignored. One process at a time writes a record: it holds
 * `eval.lock` (the run lock's file, pid, host and heartbeat) from creating or opening it to `release()`.
 */

import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { ensureFolder, guardWrite, writeFileAtomicSync } from '../files/index.js';
import { ambiguousIdError, matchIdPrefix, RunLock, type LockedThing } from '../store/index.js';
import type { CaseRun, EvalResult } from './results.js';

/** What an eval is: enough to plan the same runs again on `--resume`. Paths are absolute. */
export interface EvalSpec {
  schemaVersion: 1;
  evalId: string;
  sop: string;
  dataset: string;
  defaults?: string;
  /** sha256 of the dataset (and defaults) text when the eval started: a changed dataset is refused on resume. */
  datasetSha256: string;
  /** sha256 of the SOP file when the eval started: a changed SOP is refused on resume (absent in records made before it was kept). */
  sopSha256?: string;
  /** sha256 of each file the SOP references (prompts, `$ref` schemas, partials), by path relative to its folder (absent in records made before they were kept). */
  sopFiles?: Record<string, string>;
  /** sha256 of the scripts of the eval's `script:FILE` models, judge included, by the path the model names (absent in records made before they were kept). */
  scripts?: Record<string, string>;
  models: string[];
  repeat: number;
  judgeModel?: string;
  /**
   * The `--provider` the eval started with (null: none): its bare model names (`llama3.2`) name it
   * again on `--resume`, which refuses another. Absent in records made before it was kept.
   */
  provider?: string | null;
  runsDir: string;
  started: string;
}

/** The fields of an eval record that a resume reads and that are absent or of the wrong type (a file edited by hand, or cut short). */
function missingFields(spec: unknown): string[] {
  const record = (spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
  const strings = ['evalId', 'sop', 'dataset', 'datasetSha256', 'runsDir'].filter((field) => typeof record[field] !== 'string');
  const models = Array.isArray(record['models']) && record['models'].every((model) => typeof model === 'string') ? [] : ['models'];
  const repeat = Number.isInteger(record['repeat']) && (record['repeat'] as number) > 0 ? [] : ['repeat'];
  return [...strings, ...models, ...repeat];
}

/** A run's key in the record: one per case × model × repeat. */
export function jobKey(job: { case: string; model: string; repeat: number }): string {
  return JSON.stringify([job.case, job.model, job.repeat]);
}

/** What an eval record's lock is called in a refusal, and its file. */
const EVAL_RECORD: LockedThing = { noun: 'eval', file: 'eval.lock' };

type RecordLine = { type: 'start'; key: string; runId: string } | { type: 'done'; key: string; run: CaseRun };

export class EvalRecord {
  private readonly runsFile: string;
  /** `runs.jsonl`, open for appending from the first line to `close()`: one write per line, not an open, a write and a close. */
  private runsFd: number | undefined;

  private constructor(
    readonly dir: string,
    readonly spec: EvalSpec,
    private readonly lock: RunLock,
  ) {
    this.runsFile = path.join(dir, 'runs.jsonl');
  }

  /**
   * Starts the record of a new eval in a folder of its own: made exclusively (an id another eval
   * has, however unlikely, gets a new one from `newId`), and locked before `eval.json` is written,
   * so a `--resume` of it is refused while this process runs it.
   */
  static create(evalsDir: string, spec: EvalSpec, newId: () => string): EvalRecord {
    guardWrite(evalsDir, () => ensureFolder(evalsDir));
    let own = spec;
    for (let attempt = 0; ; attempt += 1) {
      const dir = path.join(evalsDir, own.evalId);
      if (guardWrite(dir, () => makeFolderExclusive(dir))) {
        const lock = RunLock.acquire(dir, 'eval', EVAL_RECORD);
        writeFileAtomicSync(path.join(dir, 'eval.json'), `${JSON.stringify(own, null, 2)}\n`);
        return new EvalRecord(dir, own, lock);
      }
      if (attempt === 9) throw new SopError('INTERNAL', `cannot make a new eval record in ${evalsDir}: every id tried is taken`, { hint: `remove old records from ${evalsDir}` });
      own = { ...own, evalId: newId() };
    }
  }

  /** Opens a recorded eval (`--resume ID`, or the beginning of one ID); RUN_NOT_FOUND when there is none. */
  static open(evalsDir: string, given: string): EvalRecord {
    const evalId = recordedEvalId(evalsDir, given);
    const dir = path.join(evalsDir, evalId);
    const file = path.join(dir, 'eval.json');
    const notARecord = (why: string): SopError => new SopError('RUN_NOT_RESUMABLE', `${file} is not an eval record: ${why}`, { hint: 'start the eval again (answers already paid for come from the response cache)' });
    let spec: EvalSpec;
    try {
      spec = JSON.parse(readFileSync(file, 'utf8')) as EvalSpec;
    } catch (error) {
      throw notARecord((error as Error).message);
    }
    const missing = missingFields(spec);
    if (missing.length > 0) throw notARecord(`it lacks ${missing.join(', ')}`);
    // Held before anything is read or written: a second resume, or the eval still running, refuses this one (exit 13).
    const lock = RunLock.acquire(dir, 'eval', EVAL_RECORD);
    const record = new EvalRecord(dir, spec, lock);
    try {
      record.endTornLine();
    } catch (error) {
      lock.release();
      throw error;
    }
    return record;
  }

  /** A line torn by a kill gets its line end, so the next line appended is read on its own. */
  private endTornLine(): void {
    if (!existsSync(this.runsFile)) return;
    const text = readFileSync(this.runsFile, 'utf8');
    if (text !== '' && !text.endsWith('\n')) guardWrite(this.runsFile, () => appendFileSync(this.runsFile, '\n'));
  }

  /** Runs already started (their run id) and judged (their result), by job key. */
  progress(): { started: Map<string, string>; done: Map<string, CaseRun> } {
    const started = new Map<string, string>();
    const done = new Map<string, CaseRun>();
    for (const line of recordLines(this.runsFile)) {
      if (line.type === 'start') started.set(line.key, line.runId);
      else done.set(line.key, line.run);
    }
    return { started, done };
  }

  started(key: string, runId: string): void {
    this.append({ type: 'start', key, runId });
  }

  done(key: string, run: CaseRun): void {
    this.append({ type: 'done', key, run });
  }

  /** The eval's results, also kept as `results.json` in the record. */
  writeResults(result: EvalResult): string {
    const file = path.join(this.dir, 'results.json');
    writeFileAtomicSync(file, `${JSON.stringify(result, null, 2)}\n`);
    return file;
  }

  /** Closes `runs.jsonl` (the eval ended or stopped); a later line opens it again. */
  close(): void {
    if (this.runsFd === undefined) return;
    closeSync(this.runsFd);
    this.runsFd = undefined;
  }

  /** Closes `runs.jsonl` and gives the record up: another process may resume it now. */
  release(): void {
    this.close();
    this.lock.release();
  }

  private append(line: RecordLine): void {
    guardWrite(this.runsFile, () => {
      this.runsFd ??= openSync(this.runsFile, 'a');
      writeSync(this.runsFd, `${JSON.stringify(line)}\n`);
    });
  }
}

/** Makes the folder unless it exists (false then); its parent exists. */
function makeFolderExclusive(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The eval `given` names under `evalsDir`: its id, else the one id it is the beginning of (as run
 * ids are taken); several is a usage error listing them, none RUN_NOT_FOUND (with the id a typo away).
 */
function recordedEvalId(evalsDir: string, given: string): string {
  if (given !== '' && existsSync(path.join(evalsDir, given, 'eval.json'))) return given;
  const match = matchIdPrefix(evalsDir, given);
  if (match.kind === 'one') return match.name;
  if (match.kind === 'several') throw ambiguousIdError('eval', given, match.names, evalsDir, 'give more of the id, enough to name one eval');
  const near = match.near === undefined ? '' : `did you mean ${match.near}? Else `;
  throw new SopError('RUN_NOT_FOUND', `no eval ${given || '""'} in ${evalsDir}`, { hint: `${near}the eval id is the folder name under ${evalsDir}, printed when the eval started` });
}

/** The eval that started a run, as `sop runs` marks it: its id and the case, model and repeat of the run. */
export interface EvalOrigin {
  id: string;
  case: string;
  model: string;
  repeat: number;
  /** The eval's record folder. */
  dir: string;
}

/**
 * Tells the runs an eval started from the others. Such a run's workspace is in its eval's record
 * (`<evals dir>/ID/workspaces/RUN_ID`), whatever `--evals-dir` was, and the record's `runs.jsonl`
 * names it (a run given that workspace by hand is not in it). Each record is read once: an eval's
 * runs are listed together.
 */
export function evalOrigins(): (runId: string, workspace: string | undefined) => EvalOrigin | undefined {
  const records = new Map<string, Map<string, EvalOrigin>>();
  return (runId, workspace) => {
    if (workspace === undefined || path.basename(path.dirname(workspace)) !== 'workspaces') return undefined;
    const dir = path.dirname(path.dirname(workspace));
    let started = records.get(dir);
    if (started === undefined) {
      started = startedRuns(dir);
      records.set(dir, started);
    }
    return started.get(runId);
  };
}

/** The runs an eval record's `runs.jsonl` says it started, by run id; none when it is no readable record. */
function startedRuns(dir: string): Map<string, EvalOrigin> {
  const started = new Map<string, EvalOrigin>();
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(path.join(dir, 'eval.json'), 'utf8'));
  } catch {
    return started;
  }
  const evalId = (spec as { evalId?: unknown } | null)?.evalId;
  const id = typeof evalId === 'string' ? evalId : path.basename(dir);
  let lines: RecordLine[];
  try {
    lines = recordLines(path.join(dir, 'runs.jsonl'));
  } catch {
    return started;
  }
  for (const line of lines) {
    const key = line.type === 'start' ? caseKey(line.key) : undefined;
    if (line.type === 'start' && key !== undefined) started.set(line.runId, { id, case: key[0], model: key[1], repeat: key[2], dir });
  }
  return started;
}

/**
 * The lines of a record's `runs.jsonl` (none when there is no file; one unreadable throws): a torn
 * last line, or a line of no known shape, is skipped (that run is simply not recorded as started or judged).
 */
function recordLines(file: string): RecordLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines: RecordLine[] = [];
  for (const written of text.split('\n')) {
    try {
      const line = JSON.parse(written) as Partial<RecordLine> | null;
      if (line?.type === 'start' ? typeof line.key === 'string' && typeof line.runId === 'string' : line?.type === 'done' && typeof line.key === 'string') lines.push(line as RecordLine);
    } catch {
      // A torn last line.
    }
  }
  return lines;
}

/** A job key (`jobKey`) as case, model and repeat; nothing for one of another shape. */
function caseKey(text: string): [string, string, number] | undefined {
  try {
    const key: unknown = JSON.parse(text);
    return Array.isArray(key) && typeof key[0] === 'string' && typeof key[1] === 'string' && typeof key[2] === 'number' ? (key as [string, string, number]) : undefined;
  } catch {
    return undefined;
  }
}
