import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listWorkspaceFiles, workspaceChanges } from '../../src/runtime/workspace-changes.js';

/**
 * What an incremental run takes of the workspace when it opens: the names of its files, for the
 * report's deleted list, never their contents (it hashed every file, up to 256 MB, before each
 * `sop run --inc`), and nothing past its bound.
 */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sop-inventory-'));
  made.push(root);
  mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(path.join(root, '.git', 'objects'), { recursive: true });
  writeFileSync(path.join(root, 'a.md'), 'a');
  writeFileSync(path.join(root, 'src', 'deep', 'b.ts'), 'b');
  writeFileSync(path.join(root, '.git', 'objects', 'x'), 'x');
  return root;
}

describe('listWorkspaceFiles', () => {
  it('lists file names by relative path, the git folder left out', () => {
    expect(listWorkspaceFiles(workspace())?.sort()).toEqual(['a.md', 'src/deep/b.ts']);
  });

  it('gives no list past its bound of entries (folders count)', () => {
    const root = workspace();
    // a.md, src, src/deep, src/deep/b.ts: four entries.
    expect(listWorkspaceFiles(root, 4)).toHaveLength(2);
    expect(listWorkspaceFiles(root, 3)).toBeUndefined();
  });
});

describe('workspaceChanges', () => {
  it('labels by what each path held before the run first wrote it, and lists deletions only with a list', () => {
    const root = workspace();
    const artifacts = [
      { path: 'a.md', sha256: 'x', before: '' },
      { path: 'b.md', sha256: 'y', before: 'y' },
      { path: 'c.md', sha256: 'z', before: 'y' },
      { path: 'd.md', sha256: 'z' },
    ];
    expect(workspaceChanges(artifacts, ['a.md', 'gone.md'], root)).toEqual({ new: ['a.md'], changed: ['c.md'], unchanged: ['b.md'], deleted: ['gone.md'] });
    expect(workspaceChanges(artifacts, undefined, root)).toEqual({ new: ['a.md'], changed: ['c.md'], unchanged: ['b.md'] });
  });
});
