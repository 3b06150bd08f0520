import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A run whose workspace was deleted before `sop resume` (the project did not move): the resume
 * makes the workspace afresh, as it always did, and now says so first, naming the files the run
 * had written there, which the rounds after it will not find. It said nothing before.
 */
describe('sop resume of a run whose workspace is gone', () => {
  it('warns, naming the workspace and the files it held, then finishes the run', async () => {
    const cwd = tempDir('sop-lost-workspace-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const stopped = await sop(['run', 'sop.yaml', 'a todo app', '--n-round', '1', '--workspace', 'ws'], { cwd });
    expect(stopped.code, stopped.stderr).toBe(5);
    expect(existsSync(path.join(cwd, 'ws', 'draft.md'))).toBe(true);
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs')).filter((name) => !name.startsWith('.'));
    rmSync(path.join(cwd, 'ws'), { recursive: true });

    const resumed = await sop(['resume', runId as string, '--n-round', '5'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`warning: the workspace of run ${runId} is gone (ws): it is made afresh, without the files the run wrote there: draft.md (a role that reads one will not find it)`);
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(cwd, 'ws'))).toBe(true);
  });

  it('says nothing of the kind when the workspace is there', async () => {
    const cwd = tempDir('sop-lost-workspace-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    expect((await sop(['run', 'sop.yaml', 'a todo app', '--n-round', '1', '--workspace', 'ws'], { cwd })).code).toBe(5);
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs')).filter((name) => !name.startsWith('.'));
    const resumed = await sop(['resume', runId as string, '--n-round', '5'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('is gone');
  });
});
