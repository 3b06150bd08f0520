import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
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
  const first = firstRecords(path.join(runDir, JOURNAL_FILE), 1)[0];
  if (first?.['type'] === 'run-info') return withoutFraming(first);
  return readJsonObject(path.join(runDir, OLD_RUN_FILES.run));
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

/** Bytes read per step from the start of the file; a step doubles until `count` lines are whole. */
const FIRST_CHUNK_BYTES = 16 * 1024;

/** The first `count` whole lines of a file, parsed (fewer when the file has fewer or one is not JSON). */
function firstRecords(file: string, count: number): Array<Record<string, unknown>> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    let data = Buffer.alloc(0);
    let chunk = FIRST_CHUNK_BYTES;
    for (;;) {
      const more = Buffer.alloc(chunk);
      const read = readSync(fd, more, 0, chunk, data.length);
      data = Buffer.concat([data, more.subarray(0, read)]);
      const ends = lineEnds(data, count);
      if (ends.length === count || read < chunk) return parseLines(data, ends);
      chunk *= 2;
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
