import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { pathWithin } from '../files/index.js';
import { JOURNAL_FILE } from './run-journal.js';

/**
 * Files older versions wrote beside the journal, read only for run folders they recorded: the
 * journal's `run-info` and `sop-text` lines replaced them (a run creates two files fewer).
 */
export const OLD_RUN_FILES = { run: 'run.json', sop: 'sop.yaml' } as const;

/**
 * The journal's first two records (version 2 on): what a run is, and the SOP text it was started
 * with. `sop runs` reads the first line only; the SOP text is its own line so that listing never
 * reads it.
 */
export interface RunInfoRecord {
  type: 'run-info';
  journalVersion: number;
  id: string;
  sop: { name: string; version: string; file: string; sha256: string };
  inputs: Record<string, unknown>;
  model: string;
  models: string[];
  provider: string;
  workspace: string;
  /** ISO time the run started. */
  started: string;
  /**
   * The process that created the run: it holds the run folder until the run writes its report,
   * with no `run.lock` (see `RunLock.creator`). Absent before 2026-12-04: such a run held `run.lock`.
   */
  holder?: { pid: number; host: string };
  /**
   * Where the run's files are within its project (since 2026-12-06): `project`, the folder the run
   * started in, as a path from the run folder (`../../..` for `.sop/runs/ID`); `sop` and
   * `workspace` from that folder. A resume of a moved or copied project finds them there when the
   * absolute paths name the old place (`resumePlaces`). Absent before: a resume uses the absolute paths.
   * Each is a relative path only when it is inside the project (the run folder inside the project
   * for `project`): one outside moves apart from it, so it is recorded absolute (`relativePlaces`).
   */
  relative?: RelativePlaces;
  /** File inputs' files as the user named them (`--input notes=@data/notes.txt`: `data/notes.txt`), relative to the folder the run started in; absent without file inputs. */
  fileInputs?: Record<string, string>;
}

/** The run-info's `relative` field. */
export interface RelativePlaces {
  project: string;
  sop: string;
  workspace: string;
}

/**
 * The run-info's `relative` field of a run started in `project` (its folder `runDir`, its SOP and
 * workspace): each place as a path within the project, or absolute when it is outside it. A runs
 * folder (`--runs-dir`), an SOP or a workspace outside the project does not move with it (a shared
 * runs folder, a folder of SOPs beside several projects): a path from the project to it would
 * name some other folder once the project moved.
 */
export function relativePlaces(runDir: string, project: string, sopPlace: string, workspace: string): RelativePlaces {
  const runDirWithin = pathWithin(project, runDir);
  return {
    // One `..` per folder from the run folder up to the project (`../../..` for .sop/runs/ID).
    project: runDirWithin === undefined ? project : runDirWithin === '' ? '' : runDirWithin.split(path.sep).map(() => '..').join(path.sep),
    sop: sopPlace,
    workspace: placeWithin(project, workspace),
  };
}

/**
 * `file` as `relativePlaces` records it: its path within `project`, or itself when it is outside.
 * By real paths too: the project (the working folder) is a real path, a path given
 * (`$PWD/sop.yaml`) may go through a symlinked parent.
 */
export function placeWithin(project: string, file: string): string {
  return pathWithin(project, file) ?? file;
}

/**
 * Whether a run's project is found from its run folder (`relative.project` climbs out of the run
 * folder only: `../../..`): the run folder is inside the project and moves with it. Not when it
 * was recorded absolute (a runs folder outside the project), nor for a path that goes down into
 * another folder (`../../proj`: such a run was recorded so before the rule above).
 */
export function runFolderInProject(relative: RelativePlaces): boolean {
  return !path.isAbsolute(relative.project) && relative.project.split(/[\\/]/).every((part) => part === '..');
}

export interface SopTextRecord {
  type: 'sop-text';
  /** The SOP file's text as loaded when the run started (what its sha256 hashes). */
  text: string;
}

/**
 * What a run is (id, SOP name, file and sha256, inputs, models, workspace, start time): its
 * journal's `run-info` line, or the `run.json` of a run folder recorded before it. Undefined when
 * the folder has neither (not a run folder, or a run killed before its first write).
 */
export function readRunInfo(runDir: string): Record<string, unknown> | undefined {
  return readRunHead(runDir)?.info;
}

/**
 * `readRunInfo` and the journal's `journalVersion` (undefined for a run folder without a journal)
 * from one read of the journal's first line: `sop runs` needs both of every run.
 */
export function readRunHead(runDir: string): { info: Record<string, unknown>; journalVersion: number | undefined } | undefined {
  const first = firstRecords(path.join(runDir, JOURNAL_FILE), 1)[0];
  if (first?.['type'] === 'run-info') {
    const version = first['journalVersion'];
    return { info: withoutFraming(first), journalVersion: typeof version === 'number' ? version : undefined };
  }
  const info = readJsonObject(path.join(runDir, OLD_RUN_FILES.run));
  return info === undefined ? undefined : { info, journalVersion: undefined };
}

/** The `journalVersion` of a run's `run-info` line; undefined for a run folder without one. */
export function readJournalVersion(runDir: string): number | undefined {
  const first = firstRecords(path.join(runDir, JOURNAL_FILE), 1)[0];
  const version = first?.['type'] === 'run-info' ? first['journalVersion'] : undefined;
  return typeof version === 'number' ? version : undefined;
}

/**
 * The SOP text a run was started with: its journal's `sop-text` line, or the `sop.yaml` of a run
 * folder recorded before it. Undefined when the folder has neither.
 */
export function readPinnedSop(runDir: string): string | undefined {
  const record = firstRecords(path.join(runDir, JOURNAL_FILE), 2)[1];
  if (record?.['type'] === 'sop-text' && typeof record['text'] === 'string') return record['text'];
  try {
    return readFileSync(path.join(runDir, OLD_RUN_FILES.sop), 'utf8');
  } catch {
    return undefined;
  }
}

/** The SOP a run last ran with, and the one it was started with when a resume changed it. */
export interface SopAsRun {
  /** The SOP file's text the run last ran with (what a resume compares with): restored, it hashes to that sha256. */
  text: string;
  /** When a resume went on with a changed SOP file (`--allow-changed-sop`): the ISO time of the last such resume, and the text the run was started with. */
  changed?: { resumed: string; startedWith: string };
}

/**
 * The SOP text a run last ran with: the text of its journal's last `sop-changed` line that has one
 * (a resume that went on with a changed SOP file), else the text it was started with
 * (`readPinnedSop`). Undefined when the folder records neither.
 */
export function readSopAsRun(runDir: string): SopAsRun | undefined {
  const started = readPinnedSop(runDir);
  if (started === undefined) return undefined;
  const changed = lastSopChange(path.join(runDir, JOURNAL_FILE));
  if (!changed) return { text: started };
  return { text: changed.text, changed: { resumed: changed.resumed, startedWith: started } };
}

const SOP_CHANGED = Buffer.from('"type":"sop-changed"');

/**
 * The last `sop-changed` line with the SOP's text, found from the end of the file by its type's
 * bytes (a line holds `"type":"sop-changed"` only as its own type or inside an event's JSON payload,
 * which the parse tells apart): a resume with a changed SOP is rare, and the journal may be large.
 */
function lastSopChange(file: string): { text: string; resumed: string } | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  for (let at = data.lastIndexOf(SOP_CHANGED); at !== -1; at = at === 0 ? -1 : data.lastIndexOf(SOP_CHANGED, at - 1)) {
    const start = data.lastIndexOf(0x0a, at) + 1;
    const end = data.indexOf(0x0a, at);
    if (end === -1) continue; // torn: a write cut short
    const record = parseObject(data.toString('utf8', start, end));
    if (record?.['type'] === 'sop-changed' && typeof record['text'] === 'string' && typeof record['resumed'] === 'string') return { text: record['text'], resumed: record['resumed'] };
  }
  return undefined;
}

/**
 * Bytes read first from the start of the file; a step doubles until `count` lines are whole. A
 * `run-info` line is under 1 KB unless its inputs are long: `sop runs` reads one of every run.
 */
const FIRST_CHUNK_BYTES = 4 * 1024;

/** The first `count` whole lines of a file, parsed (fewer when the file has fewer or one is not JSON). */
function firstRecords(file: string, count: number): Array<Record<string, unknown>> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    // One buffer, doubled when the lines are longer (its bytes past `length` are never read).
    let data = Buffer.allocUnsafe(FIRST_CHUNK_BYTES);
    let length = 0;
    for (;;) {
      const read = readSync(fd, data, length, data.length - length, length);
      length += read;
      const filled = data.subarray(0, length);
      const ends = lineEnds(filled, count);
      if (ends.length === count || length < data.length) return parseLines(filled, ends);
      const larger = Buffer.allocUnsafe(data.length * 2);
      data.copy(larger, 0, 0, length);
      data = larger;
    }
  } finally {
    closeSync(fd);
  }
}

function lineEnds(data: Buffer, count: number): number[] {
  const ends: number[] = [];
  let end = data.indexOf(0x0a);
  while (end !== -1 && ends.length < count) {
    ends.push(end);
    end = data.indexOf(0x0a, end + 1);
  }
  return ends;
}

function parseLines(data: Buffer, ends: number[]): Array<Record<string, unknown>> {
  const records: Array<Record<string, unknown>> = [];
  let start = 0;
  for (const end of ends) {
    const record = parseObject(data.toString('utf8', start, end));
    if (!record) break;
    records.push(record);
    start = end + 1;
  }
  return records;
}

function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    return parseObject(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function withoutFraming(record: Record<string, unknown>): Record<string, unknown> {
  const { seq: _seq, type: _type, journalVersion: _version, ...info } = record;
  return info;
}
