import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsTools, createShellTool } from '../../src/tools/index.js';
import { LIMITS, byName, outside, sandbox } from './helpers.js';

describe('fs tools', () => {
  it('read, write, list and search inside the workspace', async () => {
    const { workspace } = sandbox();
    const tools = createFsTools(workspace, LIMITS);
    const written = await byName(tools, 'fs.write').run({ path: 'src/app.py', content: 'print("hi")\n# TODO: more\n' }, {});
    expect(written).toMatchObject({ isError: false, written: [{ path: 'src/app.py', bytes: 25 }] });
    expect(await byName(tools, 'fs.read').run({ path: 'src/app.py' }, {})).toMatchObject({ isError: false, content: 'print("hi")\n# TODO: more\n' });
    expect((await byName(tools, 'fs.list').run({ path: '.', recursive: true }, {})).content).toBe('src/\nsrc/app.py');
    expect((await byName(tools, 'fs.search').run({ text: 'todo', ignore_case: true }, {})).content).toBe('src/app.py:2: # TODO: more');
    expect((await byName(tools, 'fs.search').run({ text: 'todo' }, {})).content).toBe('no matches');
    expect(await byName(tools, 'fs.read').run({ path: 'missing.txt' }, {})).toMatchObject({ isError: true, content: 'no such file or folder' });
  });

  it('refuses ../, absolute paths and symlinks leading out; nothing is written outside', async () => {
    const { dir, workspace } = sandbox();
    writeFileSync(path.join(dir, 'secret.txt'), 'top secret');
    mkdirSync(path.join(dir, 'elsewhere'));
    symlinkSync(path.join(dir, 'secret.txt'), path.join(workspace.root, 'link-to-secret'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(workspace.root, 'link-to-folder'));
    symlinkSync(path.join(dir, 'not-yet'), path.join(workspace.root, 'dangling'));
    const tools = createFsTools(workspace, LIMITS);
    const before = outside(dir);
    const attempts = [
      byName(tools, 'fs.read').run({ path: '../secret.txt' }, {}),
      byName(tools, 'fs.read').run({ path: path.join(dir, 'secret.txt') }, {}),
      byName(tools, 'fs.read').run({ path: 'link-to-secret' }, {}),
      byName(tools, 'fs.write').run({ path: '../pwned.txt', content: 'x' }, {}),
      byName(tools, 'fs.write').run({ path: 'link-to-folder/pwned.txt', content: 'x' }, {}),
      byName(tools, 'fs.write').run({ path: 'dangling', content: 'x' }, {}),
      byName(tools, 'fs.write').run({ path: 'link-to-secret', content: 'overwritten' }, {}),
      byName(tools, 'fs.write').run({ path: path.join(dir, 'abs.txt'), content: 'x' }, {}),
      byName(tools, 'fs.list').run({ path: '../' }, {}),
      byName(tools, 'fs.search').run({ text: 'secret', path: 'link-to-secret' }, {}),
      byName(tools, 'fs.list').run({ path: 'link-to-folder' }, {}),
      byName(tools, 'fs.search').run({ text: 'secret', path: '..' }, {}),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.isError, result.content).toBe(true);
      expect(result.content).toMatch(/leaves the workspace|is absolute|symlink/);
      expect(result.content).not.toContain('top secret');
    }
    // `..` is resolved on the path's text, never through the symlink's target.
    expect(await byName(tools, 'fs.read').run({ path: 'link-to-folder/../secret.txt' }, {})).toMatchObject({ isError: true, content: 'no such file or folder' });
    expect(outside(dir)).toEqual(before);
    expect(readFileSync(path.join(dir, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('a hard link the model made with an allowed `ln` to a file outside is neither read, searched nor written through', async () => {
    const { dir, workspace } = sandbox();
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'top secret\n');
    const shell = createShellTool({ allow: ['ln'], env: {}, workspace, limits: LIMITS });
    expect(await shell.run({ command: 'ln', args: [secret, 'notes.txt'] }, {})).toMatchObject({ isError: false });
    expect(statSync(secret).nlink).toBe(2); // the link is real
    const tools = createFsTools(workspace, LIMITS);
    const read = await byName(tools, 'fs.read').run({ path: 'notes.txt' }, {});
    expect(read).toMatchObject({ isError: true, detail: { code: 'WORKSPACE_ESCAPE' } });
    expect(read.content).toContain('hard link');
    expect(read.content).not.toContain('top secret');
    expect((await byName(tools, 'fs.search').run({ text: 'secret' }, {})).content).toBe('no matches');
    expect(workspace.read.bind(workspace, 'notes.txt')).toThrow(/hard link/);
    expect(await byName(tools, 'fs.write').run({ path: 'notes.txt', content: 'overwritten\n' }, {})).toMatchObject({ isError: false });
    expect(readFileSync(secret, 'utf8')).toBe('top secret\n');
    expect(readFileSync(path.join(workspace.root, 'notes.txt'), 'utf8')).toBe('overwritten\n');
    // Once written, the name is a file of its own again, readable as usual.
    expect(await byName(tools, 'fs.read').run({ path: 'notes.txt' }, {})).toMatchObject({ isError: false, content: 'overwritten\n' });
  });

  it('listing and searching show symlinks but never go through them', async () => {
    const { dir, workspace } = sandbox();
    mkdirSync(path.join(dir, 'elsewhere'));
    writeFileSync(path.join(dir, 'elsewhere', 'notes.txt'), 'needle outside');
    writeFileSync(path.join(workspace.root, 'inside.txt'), 'needle inside');
    symlinkSync(path.join(dir, 'elsewhere'), path.join(workspace.root, 'out'));
    const tools = createFsTools(workspace, LIMITS);
    expect((await byName(tools, 'fs.list').run({ recursive: true }, {})).content).toBe('inside.txt\nout');
    expect((await byName(tools, 'fs.search').run({ text: 'needle' }, {})).content).toBe('inside.txt:1: needle inside');
  });

  it('caps what a huge file gives the model, keeping its head and tail', async () => {
    const { workspace } = sandbox();
    writeFileSync(path.join(workspace.root, 'big.txt'), `START${'x'.repeat(1_000_000)}END`);
    const result = await byName(createFsTools(workspace, LIMITS), 'fs.read').run({ path: 'big.txt' }, {});
    expect(Buffer.byteLength(result.content)).toBeLessThanOrEqual(LIMITS.maxOutputBytes);
    expect(result.content.startsWith('START')).toBe(true);
    expect(result.content.endsWith('END')).toBe(true);
    expect(result.content).toMatch(/\[\.\.\. \d+ bytes cut \.\.\.\]/);
  });

  it('searches one file, skips binary files, and describes its parameters for a model', async () => {
    const { workspace } = sandbox();
    writeFileSync(path.join(workspace.root, 'a.txt'), 'one TODO\ntwo\nthree TODO\n');
    writeFileSync(path.join(workspace.root, 'bin.dat'), Buffer.from([0x54, 0x4f, 0x44, 0x4f, 0x00, 0x01]));
    const tools = createFsTools(workspace, LIMITS);
    expect((await byName(tools, 'fs.search').run({ text: 'TODO', path: 'a.txt' }, {})).content).toBe('a.txt:1: one TODO\na.txt:3: three TODO');
    expect((await byName(tools, 'fs.search').run({ text: 'TODO' }, {})).content).toBe('a.txt:1: one TODO\na.txt:3: three TODO');
    expect(await byName(tools, 'fs.read').run({ path: '.' }, {})).toMatchObject({ isError: true, content: 'that is a folder; use fs.list' });
    for (const tool of tools) expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(byName(tools, 'fs.write').parameters).toMatchObject({ properties: { path: { examples: ['notes/tool-check.txt'] }, content: { examples: ['written by the fs.write tool'] } } });
  });
});
