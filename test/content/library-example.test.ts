import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE, tempDir } from '../cli/run-cli.js';

/**
 * examples/library/run.mjs, the library guide's example (docs/library.md), run as a user runs it:
 * `node`, importing the package by its name ('sop-runner', the built dist/).
 */
afterAll(removeTempDirs);

describe('the library example', () => {
  it('runs the SOP offline, with its own model, stopped and resumed, and lists the runs', { timeout: 60_000 }, async () => {
    const folder = tempDir('sop-library-');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'examples', 'library', 'run.mjs'), folder], { cwd: repoRoot });
    expect(stderr).not.toMatch(STACK_LINE);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^ {2}writer draft: published in \d+ ms$/),
      expect.stringMatching(/^ {2}editor edit: published in \d+ ms$/),
      expect.stringMatching(/^offline run \S+: completed, 2 rounds, wrote note\.md$/),
    ]);
    expect(lines[3]).toBe('own model run: completed, 2 calls, note.md begins "# NOTE"');
    const stopped = /^stopped run: interrupted after 1 round\(s\); hint: resume with: sop resume runs\/(\S+)$/.exec(lines[4] as string);
    expect(stopped, lines[4]).not.toBeNull();
    const runId = (stopped as RegExpExecArray)[1] as string;
    expect(lines[5]).toBe(`resumed run ${runId}: completed after 2 rounds`);
    // Three runs, each completed; the resumed one in its own folder still.
    expect(lines.slice(6)).toHaveLength(3);
    for (const line of lines.slice(6)) expect(line).toMatch(/^ {2}\S+ completed 2 rounds$/);
    expect(lines.slice(6).some((line) => line.includes(runId))).toBe(true);
    expect(existsSync(path.join(folder, 'runs', runId, 'journal.jsonl'))).toBe(true);
    expect(readFileSync(path.join(folder, 'workspace', 'note.md'), 'utf8')).not.toBe('');
  });
});
