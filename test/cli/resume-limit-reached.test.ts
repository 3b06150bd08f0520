import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * `sop resume RUN` of a run stopped by its round limit, without `--n-round`, keeps that limit: it
 * stopped again at once, and its first line said `at most 1 rounds`, nothing about why.
 */
afterAll(removeTempDirs);

describe('sop resume of a run at its round limit, without --n-round', () => {
  it('says on its first line that the limit is reached and how to go on', async () => {
    const dir = tempDir('sop-resume-limit-');
    expect((await sop(['init', '.'], { cwd: dir })).code).toBe(0);
    const run = await sop(['run', 'sop.yaml', 'tidal power', '--n-round', '1', '--ci'], { cwd: dir });
    expect(run.code, run.stderr).toBe(5);
    const runId = /^run record: \.sop[/\\]runs[/\\](\S+)$/m.exec(run.stderr)?.[1];
    expect(runId).toBeDefined();
    // Under GitHub Actions: the step summary and the outcome annotation name the command typed.
    const summary = path.join(dir, 'summary.md');
    const resumed = await sop(['resume', runId!, '--ci'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary } });
    expect(resumed.code).toBe(5);
    expect(readFileSync(summary, 'utf8')).toMatch(/^### sop resume: /);
    expect(resumed.stderr).toMatch(/^::error [^\n]*title=sop resume round_limit \(exit 5\)::/m);
    expect(resumed.stderr.split('\n')[0]).toBe(
      `resume ${runId}: after 1 round (was round limit), at most 1 round; the round limit is reached already, so it stops at once: give --n-round above 1 to go on`,
    );
  });
});
