import path from 'node:path';
import { submittedValue } from './submitter-paths.js';

/**
 * Where a queued run's brought-home copy says it ran from, on the submitting machine: the SOP file
 * as submitted (`file` absolute, `shown` as the submitter named it) and the local workspace its
 * files come to. The worker ran it from a bundle and a workspace in its own temporary folders.
 */
export interface HomePaths {
  sop: { file: string; shown: string };
  workspace: string;
}

/** Lines that name the SOP file or the workspace: what the run is, its start, its snapshots. */
const NAMING_PATHS = /^\{"seq":\d+,"type":"(?:run-info|run-start|snapshot)"/;

/**
 * A queued run's journal as its brought-home copy keeps it: the lines that name the worker's SOP
 * bundle and workspace name the submitter's instead (`sop report`, `sop runs`, `report.html` read
 * them), and a line naming the worker's bundle folder (an error at `sop.yaml:9:3`) names the SOP as
 * submitted (`submittedValue`); every other line is the worker's, byte for byte. The journal in Redis, which a resume
 * through the queue continues, keeps the worker's paths.
 */
export function homeJournal(journal: Buffer, home: HomePaths): Buffer {
  const lines = journal.toString('utf8').split('\n');
  let changed = false;
  // The bundle folder of the worker that ran the run (since its last run-info: a run taken over ran on another).
  let bundleDir: string | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    let homed: string | undefined;
    if (NAMING_PATHS.test(line)) {
      bundleDir = RUN_INFO.test(line) ? bundleDirOf(line) : bundleDir;
      homed = homeLine(line, home);
    } else if (bundleDir !== undefined && line.includes(JSON.stringify(bundleDir).slice(1, -1))) {
      // An error the worker recorded naming its bundle (an MCP server's, at `sop.yaml:9:3`): as the submitter was told it.
      homed = parsedLine(line, (record) => submittedValue(record, { bundleDir: bundleDir as string, shown: home.sop.shown }));
    }
    if (homed === undefined) continue;
    lines[index] = homed;
    changed = true;
  }
  return changed ? Buffer.from(lines.join('\n'), 'utf8') : journal;
}

const RUN_INFO = /^\{"seq":\d+,"type":"run-info"/;

/** The folder of the SOP file a run-info line names, when absolute (a worker's bundle). */
function bundleDirOf(line: string): string | undefined {
  try {
    const file = (JSON.parse(line) as { sop?: { file?: unknown } }).sop?.file;
    return typeof file === 'string' && path.isAbsolute(file) ? path.dirname(file) : undefined;
  } catch {
    return undefined;
  }
}

/** A whole JSON line changed by `change`; undefined when it is not one (a torn last line stays as it is). */
function parsedLine(line: string, change: (record: Record<string, unknown>) => Record<string, unknown>): string | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return JSON.stringify(change(record));
}

/** One line naming paths, with the submitter's; undefined when it is not a whole JSON line. */
function homeLine(line: string, home: HomePaths): string | undefined {
  return parsedLine(line, (record) => homeRecord(record, home));
}

function homeRecord(record: Record<string, unknown>, home: HomePaths): Record<string, unknown> {
  // Each field only where the line has it: a run-start repeating the one before leaves its fields out.
  if ('workspace' in record) record['workspace'] = home.workspace;
  // Where the worker's bundle and workspace were relative to its folders, and its file inputs' files: the worker's places, none of the submitter's.
  if (record['type'] === 'run-info') {
    delete record['relative'];
    delete record['fileInputs'];
  }
  if (record['type'] === 'run-start' && 'file' in record) record['file'] = home.sop.shown;
  const sop = record['sop'];
  if (typeof sop === 'object' && sop !== null) {
    const named = sop as Record<string, unknown>;
    // run-info's `file` is the path the run was started with; a snapshot's is absolute, beside its `displayPath`.
    if ('file' in named) named['file'] = record['type'] === 'snapshot' ? home.sop.file : home.sop.shown;
    if ('displayPath' in named) named['displayPath'] = home.sop.shown;
  }
  return record;
}

/**
 * The SOP a brought-home copy names: the one submitted, as the run's facts in Redis give it; for a
 * run submitted by a `sop` that did not record it, the bundle's file name (no path of the worker's).
 */
export function submittedSop(file: string | null | undefined, shown: string | null | undefined, workerFile: string): HomePaths['sop'] {
  if (file && shown) return { file, shown };
  const name = path.basename(workerFile);
  return { file: name, shown: name };
}
