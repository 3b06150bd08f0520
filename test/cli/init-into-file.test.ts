import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop init FILE` said `cannot write sop.yaml/sop.yaml (ENOTDIR)`: an errno code where the reason
 * belongs, and not which path was in the way. It names the file now, before anything is written.
 */
describe('sop init given a file, or a path through one', () => {
  it('a file as the folder: refused (exit 2) naming it, the file untouched, nothing written', async () => {
    const cwd = tempDir('sop-init-file-');
    writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n');
    const result = await sop(['init', 'notes.txt'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error FILE_UNWRITABLE: cannot write into notes.txt: notes.txt is a file, not a folder\n  hint: give sop init a folder (it is created when missing), e.g. `sop init my-sop`\n');
    expect(readFileSync(path.join(cwd, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readdirSync(cwd)).toEqual(['notes.txt']);
  });

  it('a folder below a file, and /dev/null: the file in the way is named; --json too', async () => {
    const cwd = tempDir('sop-init-below-file-');
    writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n');
    const below = await sop(['init', 'notes.txt/team', '--json'], { cwd });
    expect(below.code).toBe(2);
    expect(JSON.parse(below.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'FILE_UNWRITABLE', message: 'cannot write into notes.txt/team: notes.txt is a file, not a folder' } });
    const devNull = await sop(['init', '/dev/null'], { cwd });
    expect(devNull.code).toBe(2);
    expect(devNull.stderr).toContain('error FILE_UNWRITABLE: cannot write into /dev/null: /dev/null is a file, not a folder\n');
    expect(devNull.stderr).not.toMatch(STACK_LINE);
  });

  it('a folder name too long for the file system: the reason in words, not ENAMETOOLONG', async () => {
    const cwd = tempDir('sop-init-long-');
    const result = await sop(['init', 'x'.repeat(300)], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(': a name in the path is too long (most file systems take 255 bytes a name)\n');
    expect(result.stderr).not.toContain('ENAMETOOLONG');
  });
});
