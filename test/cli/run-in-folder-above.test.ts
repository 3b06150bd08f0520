import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';
import { projectWithStoppedRun } from './stopped-run.js';

afterAll(removeTempDirs);

/**
 * A run recorded at the project's root, asked for from a subfolder (`cd src && sop report ID`):
 * RUN_NOT_FOUND says the run is in the runs folder above and gives the command that finds it; the
 * hint's command works as printed. The search stops at the project's git root.
 */

/** A project with one run stopped by its round limit, and a subfolder `src/`. */
async function projectWithRun(): Promise<{ root: string; sub: string; id: string }> {
  const { cwd: root, id } = await projectWithStoppedRun('sop-run-above-');
  const sub = path.join(root, 'src');
  mkdirSync(sub);
  return { root, sub, id };
}

const COMMANDS: Array<{ args: (id: string) => string[]; typed: (id: string) => string }> = [
  { args: (id) => ['report', id], typed: (id) => `sop report ${id} --runs-dir ../.sop/runs` },
  { args: (id) => ['resume', id], typed: (id) => `sop resume ${id} --runs-dir ../.sop/runs` },
  { args: (id) => ['runs', '--sop', id], typed: (id) => `sop runs --sop ${id} --runs-dir ../.sop/runs` },
];

describe('a run in the runs folder of a folder above', () => {
  it('sop report, sop resume and sop runs --sop say where it is and the command to type, which works', async () => {
    const { root, sub, id } = await projectWithRun();
    for (const { args, typed } of COMMANDS) {
      const missed = await sop(args(id), { cwd: sub });
      expect(missed.code, missed.stderr).toBe(2);
      expect(missed.stderr).not.toMatch(STACK_LINE);
      expect(missed.stderr).toContain(`error RUN_NOT_FOUND: no run ${id}`);
      expect(missed.stderr).toContain(
        `hint: the run is in ${path.join(root, '.sop', 'runs')}, the runs folder of a folder above this one (runs are recorded under the folder \`sop run\` was started in): add --runs-dir ../.sop/runs (\`${typed(id)}\`), or \`cd ..\` first`,
      );
    }
    const report = await sop(['report', id, '--runs-dir', '../.sop/runs'], { cwd: sub });
    expect(report.code, report.stderr).toBe(0);
    const pinned = await sop(['runs', '--sop', id, '--runs-dir', '../.sop/runs'], { cwd: sub });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain('apiVersion:');
    const resumed = await sop(['resume', id, '--runs-dir', '../.sop/runs', '--n-round', '2'], { cwd: sub });
    expect(resumed.stderr).not.toContain('RUN_NOT_FOUND');
    expect(resumed.stderr).toContain(`resume ${id}`);
  });

  it('a run id given by its beginning: the same hint, whose command takes that run', async () => {
    const { root, sub, id } = await projectWithRun();
    const prefix = id.slice(0, 15);
    for (const { args, typed } of COMMANDS) {
      const missed = await sop(args(prefix), { cwd: sub });
      expect(missed.code, missed.stderr).toBe(2);
      expect(missed.stderr).not.toMatch(STACK_LINE);
      expect(missed.stderr).toContain(`error RUN_NOT_FOUND: no run ${prefix}`);
      expect(missed.stderr).toContain(`hint: the run is in ${path.join(root, '.sop', 'runs')}, the runs folder of a folder above this one`);
      expect(missed.stderr).toContain(`(\`${typed(prefix)}\`), or \`cd ..\` first`);
    }
    const report = await sop(['report', prefix, '--runs-dir', '../.sop/runs', '--json'], { cwd: sub });
    expect(report.code, report.stderr).toBe(0);
    expect((JSON.parse(report.stdout) as { result: { runId: string } }).result.runId).toBe(id);
    const resumed = await sop(['resume', prefix, '--runs-dir', '../.sop/runs', '--n-round', '2'], { cwd: sub });
    expect(resumed.stderr).toContain(`resume ${id}: after 1 round`);
  });

  it('sop runs from the subfolder names the runs folder above', async () => {
    const { sub } = await projectWithRun();
    const listed = await sop(['runs'], { cwd: sub });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('is the runs folder of a folder above this one: sop runs --runs-dir ../.sop/runs');
  });

  it('stops at the git root: a run above the repository is not looked for', async () => {
    const { sub, id } = await projectWithRun();
    mkdirSync(path.join(sub, '.git'));
    const missed = await sop(['report', id], { cwd: sub });
    expect(missed.code).toBe(2);
    expect(missed.stderr).toContain('hint: list runs with `sop runs`, or pass the path of a run folder');
  });

  it('sop resume with a decision: the command to type keeps it (without it the resume is refused, or asks), and works', async () => {
    const root = tempDir('sop-run-above-decision-');
    writeFileSync(path.join(root, 'sop.yaml'), readFileSync(path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'utf8'));
    const paused = await sop(['run', 'sop.yaml', 'hi', '--ci', '--json'], { cwd: root });
    expect(paused.code, paused.stderr).toBe(8);
    const id = (JSON.parse(paused.stdout) as { result: { runId: string } }).result.runId;
    const sub = path.join(root, 'src');
    mkdirSync(sub);

    const rejected = await sop(['resume', id, '--reject', "don't ship", '--gate', 'ok', '--ci'], { cwd: sub });
    expect(rejected.code, rejected.stderr).toBe(2);
    expect(rejected.stderr).toContain(`(\`sop resume ${id} --runs-dir ../.sop/runs --reject 'don'\\''t ship' --gate ok\`)`);

    const missed = await sop(['resume', id, '--approve', '--ci'], { cwd: sub });
    expect(missed.stderr).toContain(`(\`sop resume ${id} --runs-dir ../.sop/runs --approve\`)`);
    const typed = await sop(['resume', id, '--runs-dir', '../.sop/runs', '--approve', '--ci'], { cwd: sub });
    expect(typed.code, typed.stderr).toBe(0);
  });
});
