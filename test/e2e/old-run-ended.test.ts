import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { readLines } from '../../src/store/index.js';

/**
 * Run folders recorded before the run journal that ended paused, completed, or were killed while a
 * resume continued them (test/fixtures/old-run-ended/README.md), read by this version's CLI.
 */
afterAll(removeTempDirs);

const PAUSED = '20261207-104923-71be5e';
const COMPLETED = '20261207-104925-d3f4de';
const KILLED = '20261207-104931-37e542';

/** The fixture's project in a temp folder, its runs under `.sop/runs`, `@@PROJECT@@` made the real path. */
function oldProject(): string {
  const from = path.join(repoRoot, 'test', 'fixtures', 'old-run-ended');
  const cwd = tempDir('sop-old-run-ended-');
  cpSync(path.join(from, 'project'), cwd, { recursive: true });
  for (const id of [PAUSED, COMPLETED, KILLED]) {
    const runDir = path.join(cwd, '.sop', 'runs', id);
    cpSync(path.join(from, 'runs', id), runDir, { recursive: true });
    for (const name of readdirSync(runDir)) {
      const file = path.join(runDir, name);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('@@PROJECT@@', cwd));
    }
  }
  return cwd;
}

async function listed(cwd: string): Promise<Record<string, { status: string; rounds: number; exitCode: number | null }>> {
  const runs = await sop(['runs', '--json'], { cwd });
  expect(runs.code, runs.stderr).toBe(0);
  return Object.fromEntries((resultOf(runs) as { runs: Array<{ id: string; status: string; rounds: number; exitCode: number | null }> }).runs.map((run) => [run.id, run]));
}

describe('run folders recorded before the journal', () => {
  it('a run killed while a resume continued it is listed and reported as killed after its checkpoint\'s round (its report.json is the pause before), and `sop resume` continues it', async () => {
    const cwd = oldProject();
    expect(await listed(cwd)).toMatchObject({
      [KILLED]: { status: 'crashed', rounds: 1, exitCode: null },
      [PAUSED]: { status: 'awaiting_approval', exitCode: 8 },
      [COMPLETED]: { status: 'completed', rounds: 2, exitCode: 0 },
    });

    const table = await sop(['runs'], { cwd });
    expect(table.stdout).toMatch(new RegExp(`^${KILLED}  pipeline  crashed +\\S+  1  +-  +-$`, 'm'));

    const report = await sop(['report', KILLED], { cwd });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(`run ${KILLED} was killed before it ended: this is its report up to there (1 round committed`);
    expect(report.stderr).toMatch(new RegExp(`resume ${KILLED}\` continues it`));
    expect(report.stderr).not.toContain('cannot be resumed');
    // The page's data: killed after round 1, resumable (no `"resumable":false`).
    expect(readFileSync(path.join(cwd, '.sop', 'runs', KILLED, 'report.html'), 'utf8')).toContain('"progress":{"status":"crashed","rounds":1}');

    const resumed = await sop(['resume', KILLED, '--json'], { cwd });
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resultOf(resumed)).toMatchObject({ status: 'completed', rounds: 2 });
  });

  it('a refused `sop resume` of a completed or paused one leaves it listed as it ended (the migrated journal ends with the old checkpoint), and the paused one is approved without asking its answered call again', async () => {
    const cwd = oldProject();
    const completed = await sop(['resume', COMPLETED], { cwd });
    expect(completed.code).toBe(2);
    expect(completed.stderr).toContain(`RUN_NOT_RESUMABLE: run ${COMPLETED} already completed`);
    const undecided = await sop(['resume', PAUSED], { cwd });
    expect(undecided.code).toBe(2);
    expect(undecided.stderr).toContain(`run ${PAUSED} awaits approval of gate ok`);
    for (const refused of [completed, undecided]) expect(refused.stderr).not.toMatch(STACK_LINE);

    expect(await listed(cwd)).toMatchObject({
      [PAUSED]: { status: 'awaiting_approval', exitCode: 8 },
      [COMPLETED]: { status: 'completed', rounds: 2, exitCode: 0 },
    });

    const approved = await sop(['resume', PAUSED, '--approve', '--json'], { cwd });
    expect(approved.code, approved.stderr).toBe(0);
    expect(resultOf(approved)).toMatchObject({ status: 'completed', rounds: 2 });
    // The draft was answered before the pause: the approved round takes it from the journal.
    const lines = readLines(path.join(cwd, '.sop', 'runs', PAUSED, 'journal.jsonl'))?.records.map((line) => line.record) ?? [];
    const resume = lines.findIndex((line) => line.type === 'run-resume');
    expect(lines.slice(resume).filter((line) => line.type === 'llm-call-end')).toEqual([expect.objectContaining({ round: 1, resumed: true })]);
  });
});
