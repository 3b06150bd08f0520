import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors/index.js';
import { Workspace } from '../../src/store/index.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function setup(): { base: string; workspace: Workspace } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'sop-ws-'));
  folders.push(base);
  return { base, workspace: new Workspace(path.join(base, 'ws')) };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof SopError ? error.code : 'NOT_A_SOP_ERROR';
  }
  return undefined;
}

describe('Workspace', () => {
  it('writes files in nested folders and reports bytes and sha256', () => {
    const { workspace } = setup();
    const written = workspace.write('src/app/main.py', 'print("hé")\n');
    expect(written).toEqual({ path: 'src/app/main.py', bytes: 13, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(readFileSync(path.join(workspace.root, 'src/app/main.py'), 'utf8')).toBe('print("hé")\n');
    expect(workspace.read('src/app/main.py')).toBe('print("hé")\n');
  });

  it('reads a missing file as empty text', () => {
    expect(setup().workspace.read('nope/none.txt')).toBe('');
  });

  it('refuses a FIFO instead of blocking on it (nobody may ever write to it)', () => {
    const { workspace } = setup();
    workspace.write('notes.txt', 'x');
    execFileSync('mkfifo', [path.join(workspace.root, 'pipe')]);
    expect(codeOf(() => workspace.read('pipe'))).toBe('FILE_UNREADABLE');
  });

  it.each([['../outside.txt'], ['a/../../outside.txt'], ['/etc/passwd'], ['C:\\Windows\\x'], ['']])('refuses %j with WORKSPACE_ESCAPE', (bad) => {
    const { base, workspace } = setup();
    expect(codeOf(() => workspace.write(bad, 'x'))).toBe('WORKSPACE_ESCAPE');
    expect(existsSync(path.join(base, 'outside.txt'))).toBe(false);
  });

  it('allows names that merely start with two dots', () => {
    const { workspace } = setup();
    expect(workspace.write('..notes.txt', 'ok').path).toBe('..notes.txt');
  });

  it('refuses paths through a symlink that leaves the workspace, writing nothing outside', () => {
    const { base, workspace } = setup();
    const outside = path.join(base, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, path.join(workspace.root, 'link'));
    expect(codeOf(() => workspace.write('link/file.txt', 'x'))).toBe('WORKSPACE_ESCAPE');
    expect(codeOf(() => workspace.write('link/deeper/file.txt', 'x'))).toBe('WORKSPACE_ESCAPE');
    expect(codeOf(() => workspace.read('link/file.txt'))).toBe('WORKSPACE_ESCAPE');
    expect(existsSync(path.join(outside, 'file.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'deeper'))).toBe(false);
  });

  it('refuses a file symlink pointing outside and a dangling symlink', () => {
    const { base, workspace } = setup();
    writeFileSync(path.join(base, 'secret.txt'), 'secret');
    symlinkSync(path.join(base, 'secret.txt'), path.join(workspace.root, 'file-link'));
    symlinkSync(path.join(base, 'not-there.txt'), path.join(workspace.root, 'dangling'));
    expect(codeOf(() => workspace.read('file-link'))).toBe('WORKSPACE_ESCAPE');
    expect(codeOf(() => workspace.write('dangling', 'x'))).toBe('WORKSPACE_ESCAPE');
    expect(existsSync(path.join(base, 'not-there.txt'))).toBe(false);
    expect(readFileSync(path.join(base, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('accepts a symlink that stays inside the workspace', () => {
    const { workspace } = setup();
    mkdirSync(path.join(workspace.root, 'real'));
    symlinkSync(path.join(workspace.root, 'real'), path.join(workspace.root, 'alias'));
    workspace.write('alias/a.txt', 'inside');
    expect(readFileSync(path.join(workspace.root, 'real/a.txt'), 'utf8')).toBe('inside');
  });
});
