import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors/index.js';
import { ensureFolder } from '../../src/files/index.js';
import { removeTempDirs, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

describe('ensureFolder', () => {
  it('makes every missing level of a deep folder, and leaves an existing one as it is', () => {
    const base = tempDir('sop-folder-');
    const deep = path.join(base, 'a', 'b', 'c');
    ensureFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    writeFileSync(path.join(deep, 'kept.txt'), 'x');
    ensureFolder(deep);
    ensureFolder(path.join(base, 'a'));
    expect(statSync(path.join(deep, 'kept.txt')).size).toBe(1);
  });

  it('a file where a parent folder should be is refused naming that file (USAGE), nothing made', () => {
    const base = tempDir('sop-folder-');
    writeFileSync(path.join(base, 'plain'), 'x');
    const folder = path.join(base, 'plain', 'sub', 'deeper');
    expect(() => ensureFolder(folder)).toThrow(expect.objectContaining({ code: 'USAGE', message: `cannot create the folder ${folder}: ${path.join(base, 'plain')} is a file, not a folder` }));
    expect(statSync(path.join(base, 'plain')).isFile()).toBe(true);
  });

  it('two missing levels where the file system allows no folders (procfs) end in a storage error naming the folder', () => {
    const folder = '/proc/sop-missing/deeper';
    let error: unknown;
    try {
      ensureFolder(folder);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SopError);
    expect((error as SopError).code).toBe('STORAGE_PERMISSION');
    expect((error as SopError).message).toContain(folder);
  });

  it('a folder made meanwhile by someone else is fine', () => {
    const base = tempDir('sop-folder-');
    mkdirSync(path.join(base, 'x'));
    ensureFolder(path.join(base, 'x', 'y'));
    expect(statSync(path.join(base, 'x', 'y')).isDirectory()).toBe(true);
  });
});
