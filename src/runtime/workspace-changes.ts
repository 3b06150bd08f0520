import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bounds of the snapshot taken before an incremental run: a project past them gets no new/changed/unchanged labels. */
const MAX_FILES = 20_000;
const MAX_BYTES = 256 * 1024 * 1024;

/** report.json's `workspaceChanges`: the run's artifacts by how they stand against the workspace before the run, and the files gone since. */
export interface WorkspaceChanges {
  new: string[];
  changed: string[];
  unchanged: string[];
  deleted: string[];
}

/**
 * The sha256 of each file of the workspace (`/`-separated relative path), taken when a run opens
 * (`RunOptions.workspaceChanges`, `sop run --inc`) so its report can say which files it added,
 * changed or left as they were. The git folder and symbolic links are not read (a run writes
 * neither). Undefined past the bounds.
 */
export function snapshotWorkspace(root: string): Map<string, string> | undefined {
  const files = new Map<string, string>();
  let bytes = 0;
  const walk = (folder: string, prefix: string): boolean => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !walk(full, relative)) return false;
      } else if (entry.isFile()) {
        bytes += statSync(full).size;
        if (files.size >= MAX_FILES || bytes > MAX_BYTES) return false;
        files.set(relative, createHash('sha256').update(readFileSync(full)).digest('hex'));
      }
    }
    return true;
  };
  try {
    return walk(root, '') ? files : undefined;
  } catch {
    return undefined; // unreadable: the summary goes without labels, as before
  }
}

/** How each artifact (sorted by path) stands against `before`, and which files of `before` are gone. */
export function workspaceChanges(before: ReadonlyMap<string, string>, artifacts: ReadonlyArray<{ path: string; sha256: string }>, root: string): WorkspaceChanges {
  const changes: WorkspaceChanges = { new: [], changed: [], unchanged: [], deleted: [] };
  for (const artifact of artifacts) {
    const earlier = before.get(artifact.path);
    changes[earlier === undefined ? 'new' : earlier === artifact.sha256 ? 'unchanged' : 'changed'].push(artifact.path);
  }
  changes.deleted = [...before.keys()].filter((file) => !existsSync(path.join(root, file))).sort();
  return changes;
}
