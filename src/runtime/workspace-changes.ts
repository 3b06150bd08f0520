import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { RecordedArtifact } from './superstep/ledger.js';

/** Most entries (files and folders) the inventory taken when an incremental run opens walks: past it, the report lists no deleted files. */
export const MAX_INVENTORY_ENTRIES = 20_000;

/**
 * report.json's `workspaceChanges`: the run's artifacts by what the run did to them (against the
 * workspace before it first wrote each), and the files gone since the run opened (absent when it
 * has no inventory: a workspace of more entries than the bound, a run killed before its first
 * journal lines, or one recorded before 2026-12-07 and resumed).
 */
export interface WorkspaceChanges {
  new: string[];
  changed: string[];
  unchanged: string[];
  deleted?: string[];
}

/**
 * The names of the workspace's files (`/`-separated relative paths) when an incremental run opens
 * (`RunOptions.workspaceChanges`, `sop run --inc`), so its report can list the files gone since: a
 * walk of the folders, no file read or hashed. Journaled (`workspace-files`), so a resume compares
 * with the same list. The git folder and symbolic links are left out (a
 * run writes neither). Undefined past `max` entries, or for a folder that cannot be listed.
 */
export function listWorkspaceFiles(root: string, max: number = MAX_INVENTORY_ENTRIES): string[] | undefined {
  const files: string[] = [];
  let entries = 0;
  const walk = (folder: string, prefix: string): boolean => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      if (++entries > max) return false;
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!walk(path.join(folder, entry.name), relative)) return false;
      } else if (entry.isFile()) files.push(relative);
    }
    return true;
  };
  try {
    return walk(root, '') ? files : undefined;
  } catch {
    return undefined; // unlistable: the report goes without a deleted list
  }
}

/**
 * How the run left each artifact (in the report's order, by path): `new` when nothing was at its
 * path before the run first wrote it (its `before` is `''`), `unchanged` when its last write left
 * what was there then, else `changed`; an artifact without `before` (written before the run kept
 * it) is in none. `deleted`: the files of `inventory` that are gone now, when there is one.
 */
export function workspaceChanges(artifacts: ReadonlyArray<Pick<RecordedArtifact, 'path' | 'sha256' | 'before'>>, inventory: readonly string[] | undefined, root: string): WorkspaceChanges {
  const changes: WorkspaceChanges = { new: [], changed: [], unchanged: [] };
  for (const artifact of artifacts) {
    if (artifact.before === undefined) continue;
    changes[artifact.before === '' ? 'new' : artifact.before === artifact.sha256 ? 'unchanged' : 'changed'].push(artifact.path);
  }
  if (inventory) changes.deleted = inventory.filter((file) => !existsSync(path.join(root, file))).sort();
  return changes;
}
