import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomicAsync, writeFileAtomicSync } from '../../src/files/index.js';
import { removeTempDirs, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

describe('writeFileAtomicSync / writeFileAtomicAsync', () => {
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

  it('many concurrent writes to one file never collide: each succeeds, the file holds one of them whole', async () => {
    const dir = tempDir('sop-atomic-');
    const file = path.join(dir, 'entry.json');
    const texts = Array.from({ length: 40 }, (_, index) => `${JSON.stringify({ index, pad: 'x'.repeat(5000) })}\n`);
    await Promise.all(texts.map((text, index) => writeFileAtomicAsync(file, text, { durable: index % 2 === 0 })));
    expect(texts).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['entry.json']);
  });

  it('a failed write removes its temporary file and keeps the old content (the target is a folder)', () => {
    const dir = tempDir('sop-atomic-');
    mkdirSync(path.join(dir, 'report.json'));
    expect(() => writeFileAtomicSync(path.join(dir, 'report.json'), '{}\n')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
