import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTemporaries, writeFileAtomicSync } from '../../src/files/index.js';
import { removeTempDirs, repoRoot, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

describe('writeFileAtomicSync', () => {
  it('replaces a file and leaves no temporary file behind; creates missing folders', () => {
    const dir = tempDir('sop-atomic-');
    const file = path.join(dir, 'deep', 'er', 'checkpoint.json');
    writeFileAtomicSync(file, 'one\n');
    writeFileAtomicSync(file, 'two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(readdirSync(path.dirname(file))).toEqual(['checkpoint.json']);
  });

  it('a symlinked file stays a link: its target gets the new text and keeps its mode', () => {
    const dir = tempDir('sop-atomic-');
    const target = path.join(dir, 'real.yaml');
    const link = path.join(dir, 'sop.yaml');
    writeFileSync(target, 'apiVersion: old\n');
    chmodSync(target, 0o640);
    symlinkSync('real.yaml', link);
    writeFileAtomicSync(link, 'apiVersion: new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('apiVersion: new\n');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['real.yaml', 'sop.yaml']);
  });

  it('a hard link is not written through: the name gets a new file, the other name keeps its text', () => {
    const dir = tempDir('sop-atomic-');
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'precious\n');
    mkdirSync(path.join(dir, 'ws'));
    const inside = path.join(dir, 'ws', 'notes.txt');
    linkSync(outside, inside);
    writeFileAtomicSync(inside, 'model text\n');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(readFileSync(inside, 'utf8')).toBe('model text\n');
    expect(statSync(outside).nlink).toBe(1);
  });

  it('threads of one process writing one file at once never collide (a pid-only temporary name would)', async () => {
    const dir = tempDir('sop-atomic-');
    const file = path.join(dir, 'checkpoint.json');
    const helper = pathToFileURL(path.join(repoRoot, 'dist', 'files', 'index.js')).href;
    const writer = (id: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const script = `import(${JSON.stringify(helper)}).then(({ writeFileAtomicSync }) => {
          for (let n = 0; n < 50; n += 1) writeFileAtomicSync(${JSON.stringify(file)}, JSON.stringify({ id: ${id}, n, pad: 'x'.repeat(20000) }) + '\\n', { durable: n % 10 === 0 });
        });`;
        const worker = new Worker(script, { eval: true });
        worker.on('error', reject);
        worker.on('exit', resolve);
      });
    expect(await Promise.all([1, 2, 3, 4].map(writer))).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ n: 49 });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
  });

  it('removeStaleTemporaries removes what a killed writer left, and nothing else', () => {
    const dir = tempDir('sop-atomic-');
    mkdirSync(path.join(dir, 'docs'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number; // a pid that has exited
    writeFileSync(path.join(dir, 'docs', `.prd.md.sop-${dead}-0-3.tmp`), 'half');
    writeFileSync(path.join(dir, `.live.sop-${process.pid}-0-1.tmp`), 'being written');
    writeFileSync(path.join(dir, 'notes.sop-1-0-1.tmp'), 'a user file');
    writeFileSync(path.join(dir, 'docs', 'prd.md'), 'kept');
    removeStaleTemporaries(dir);
    expect(readdirSync(dir).sort()).toEqual([`.live.sop-${process.pid}-0-1.tmp`, 'docs', 'notes.sop-1-0-1.tmp']);
    expect(readdirSync(path.join(dir, 'docs'))).toEqual(['prd.md']);
  });

  it('a failed write removes its temporary file and keeps the old content (the target is a folder)', () => {
    const dir = tempDir('sop-atomic-');
    mkdirSync(path.join(dir, 'report.json'));
    expect(() => writeFileAtomicSync(path.join(dir, 'report.json'), '{}\n')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
