import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { artifacts } from './providers-helpers.js';

/**
 * A project recorded by an older sop (test/fixtures/NAME: `project/` with its SOP and workspace,
 * `run/` its run folder) copied into a temp folder, the run under `.sop/runs/RUN_ID`, with the
 * real project path put where the recording had `@@PROJECT@@`.
 */
export function recordedProject(fixture: string, runId: string): { cwd: string; runDir: string } {
  const from = path.join(repoRoot, 'test', 'fixtures', fixture);
  const cwd = tempDir(`sop-${fixture}-`);
  cpSync(path.join(from, 'project'), cwd, { recursive: true });
  const runDir = path.join(cwd, '.sop', 'runs', runId);
  cpSync(path.join(from, 'run'), runDir, { recursive: true });
  for (const name of readdirSync(runDir)) {
    const file = path.join(runDir, name);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('@@PROJECT@@', cwd));
  }
  return { cwd, runDir };
}

/**
 * `sop resume RUN_ID` of a recorded project completes (2 rounds), with the same artifacts as a run
 * of this version of the fixture's pipeline that was never stopped.
 */
export async function expectResumedLikeAFreshRun(fixture: string, cwd: string, runId: string): Promise<void> {
  const resumed = await sop(['resume', runId, '--n-round', '6', '--json'], { cwd });
  expect(resumed.stderr).not.toMatch(STACK_LINE);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resultOf(resumed)).toMatchObject({ status: 'completed', rounds: 2 });
  const fresh = tempDir('sop-new-run-');
  cpSync(path.join(repoRoot, 'test', 'fixtures', fixture, 'project', 'pipeline.yaml'), path.join(fresh, 'pipeline.yaml'));
  const whole = await sop(['run', 'pipeline.yaml', 'a todo app', '--json'], { cwd: fresh });
  expect(whole.code, whole.stderr).toBe(0);
  expect(artifacts(path.join(cwd, 'workspace', 'pipeline'))).toEqual(artifacts(path.join(fresh, 'workspace', 'pipeline')));
}
