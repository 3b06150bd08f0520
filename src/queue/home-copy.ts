import path from 'node:path';

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
 * them); every other line is the worker's, byte for byte. The journal in Redis, which a resume
 * through the queue continues, keeps the worker's paths.
 */
export function homeJournal(journal: Buffer, home: HomePaths): Buffer {
  const lines = journal.toString('utf8').split('\n');
  let changed = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (!NAMING_PATHS.test(line)) continue;
    const homed = homeLine(line, home);
    if (homed === undefined) continue;
    lines[index] = homed;
    changed = true;
  }
  return changed ? Buffer.from(lines.join('\n'), 'utf8') : journal;
}

/** One line naming paths, with the submitter's; undefined when it is not a whole JSON line (a torn last line stays as it is). */
function homeLine(line: string, home: HomePaths): string | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
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
  return JSON.stringify(record);
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
