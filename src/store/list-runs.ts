import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RunLock } from './run-lock.js';
import { RUN_FILES } from './run-store.js';

/** One line of `sop runs`. */
export interface RunSummary {
  id: string;
  /** SOP name. */
  sop: string;
  /**
   * The status of its last report; `running` while a live process holds the run folder (a run, or
   * a resume of a run that has a report); `crashed` when it has no report and no live holder (killed:
   * `sop resume` continues it).
   */
  status: string;
  /** ISO time the run started. */
  started: string;
  /** Rounds run (0 while no report exists). */
  rounds: number;
  /** Exit code, or null while no report exists. */
  exitCode: number | null;
  dir: string;
}

/** Runs in a runs folder, newest first. A missing folder has none. */
export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = readdirSync(runsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const summaries: RunSummary[] = [];
  for (const name of names.sort().reverse()) {
    const dir = path.join(runsDir, name);
    const info = readJson(path.join(dir, RUN_FILES.run));
    if (!info) continue;
    const report = readJson(path.join(dir, RUN_FILES.report));
    const sop = info['sop'] as { name?: unknown } | undefined;
    summaries.push({
      id: typeof info['id'] === 'string' ? info['id'] : name,
      sop: typeof sop?.name === 'string' ? sop.name : '?',
      status: RunLock.isHeld(dir) ? 'running' : typeof report?.['status'] === 'string' ? report['status'] : 'crashed',
      started: typeof info['started'] === 'string' ? info['started'] : '',
      rounds: typeof report?.['rounds'] === 'number' ? report['rounds'] : 0,
      exitCode: typeof report?.['exitCode'] === 'number' ? report['exitCode'] : null,
      dir,
    });
  }
  // Ids order runs by the second they started only; `started` has milliseconds.
  return summaries.sort((a, b) => (a.started === b.started ? 0 : a.started < b.started ? 1 : -1));
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
