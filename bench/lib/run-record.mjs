import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Size in bytes of a finished run's final state record, whichever record format the build under
 * test writes: the last `snapshot` line of `journal.jsonl` (one append-only journal per run, issue
 * #11) or else `checkpoint.json` (the record before it). Undefined when the folder has neither.
 */
export function finalStateBytes(runDir) {
  const journal = path.join(runDir, 'journal.jsonl');
  if (existsSync(journal)) {
    const snapshot = lastSnapshotLine(readFileSync(journal, 'utf8'));
    if (snapshot !== undefined) return { bytes: Buffer.byteLength(snapshot), source: 'last snapshot line of journal.jsonl' };
  }
  const checkpoint = path.join(runDir, 'checkpoint.json');
  if (existsSync(checkpoint)) return { bytes: statSync(checkpoint).size, source: 'checkpoint.json' };
  return undefined;
}

/** The last complete line whose entry is a snapshot (by its `type`/`kind`/`entry` field, or a `snapshot` key). */
export function lastSnapshotLine(text) {
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index];
    if (!line.includes('snapshot')) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a torn last line
    }
    if (entry === null || typeof entry !== 'object') continue;
    if ([entry.type, entry.kind, entry.entry, entry.t].includes('snapshot') || 'snapshot' in entry) return line;
  }
  return undefined;
}
