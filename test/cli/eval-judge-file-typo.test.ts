import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A rubric judging a file the run did not write (`of: drafts.md` for `draft.md`) failed with "no file
 * drafts.md in the workspace" alone, as an `expect.artifacts` entry no longer does: it now names the
 * nearest file and the files the run wrote.
 */
describe('sop eval: a judge rubric of a file the run did not write', () => {
  it('names the file meant and the files written', async () => {
    const cwd = tempDir('sop-eval-judge-of-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: tides\n    inputs: { idea: tidal power }\n    judge: [{ rubric: Clear, of: drafts.md }]\n');
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--threshold', '1'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(17);
    expect(evaluated.stdout).toContain('cases.yaml:5:13: judge[0]: drafts.md scored nothing (needs 7) against "Clear": nothing to judge: no file drafts.md in the workspace (did you mean `draft.md`?); the run wrote: draft.md, review.json\n');
  });
});
