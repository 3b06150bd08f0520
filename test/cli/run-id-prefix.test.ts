import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';
import { projectWithStoppedRun } from './stopped-run.js';

afterAll(removeTempDirs);

/**
 * A run named by the beginning of its id (`sop report 20261206-232643`, its random suffix left out),
 * as git and docker take an id's prefix: one match is that run; several are refused (exit 2) listing
 * them newest first, a bounded number; none is RUN_NOT_FOUND, with the id a typo away.
 */
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

describe('a run id given by its beginning', () => {
  it('one match: sop report, sop runs --sop and sop resume take that run', async () => {
    const { cwd, id } = await projectWithStoppedRun('sop-id-prefix-');
    const prefix = id.slice(0, 15);
    const report = await sop(['report', prefix, '--json'], { cwd });
    expect(report.code, report.stderr).toBe(0);
    expect((JSON.parse(report.stdout) as { result: { runId: string } }).result.runId).toBe(id);
    const pinned = await sop(['runs', '--sop', prefix], { cwd });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain('apiVersion: sop/v1');
    const resumed = await sop(['resume', prefix, '--n-round', '2'], { cwd });
    expect(resumed.stderr).not.toContain('RUN_NOT_FOUND');
    expect(resumed.stderr).toContain(`resume ${id}: after 1 round`);
  });

  it('several matches: a usage error (exit 2) listing the newest ten and how many more', async () => {
    const { cwd, id, runs } = await projectWithStoppedRun('sop-id-prefix-');
    // Twelve more runs of one day, copies of the real one.
    const ids = Array.from({ length: 12 }, (_, index) => `20200101-0000${String(index).padStart(2, '0')}-abcdef`);
    for (const other of ids) cpSync(path.join(runs, id), path.join(runs, other), { recursive: true });
    for (const command of [['report', '20200101'], ['resume', '20200101'], ['runs', '--sop', '20200101']]) {
      const refused = await sop(command, { cwd });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).not.toMatch(STACK_LINE);
      const newestTen = ids.slice(2).reverse().join(', ');
      expect(refused.stderr).toContain(`error USAGE: run id 20200101 is the beginning of 12 runs in .sop/runs, newest first: ${newestTen}, and 2 older\n`);
      expect(refused.stderr).toContain('hint: give more of the id, enough to name one run (`sop runs` lists them)');
    }
  });

  it('no match: RUN_NOT_FOUND, with the id a typo away, else the list to look in', async () => {
    const { cwd, id } = await projectWithStoppedRun('sop-id-prefix-');
    const typo = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
    const near = await sop(['report', typo], { cwd });
    expect(near.code).toBe(2);
    expect(near.stderr).toContain(`error RUN_NOT_FOUND: no run ${typo}`);
    expect(near.stderr).toContain(`hint: did you mean ${id}? Else list runs with \`sop runs\``);
    const far = await sop(['resume', '19990101'], { cwd });
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('error RUN_NOT_FOUND: no run 19990101');
    expect(far.stderr).toContain('hint: list runs with `sop runs`, or pass the path of a run folder');
  });
});

describe('an eval id given by its beginning (sop eval --resume)', () => {
  it('one match continues that eval; several are refused listing them; none is RUN_NOT_FOUND', async () => {
    const cwd = tempDir('sop-eval-prefix-');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: owls, inputs: { idea: owls } }\n');
    const ran = await sop(['eval', W1, '--dataset', 'cases.yaml'], { cwd });
    expect(ran.code, ran.stderr).toBe(0);
    const evals = path.join(cwd, '.sop', 'evals');
    const id = readdirSync(evals).find((name) => !name.startsWith('.')) as string;
    const resumed = await sop(['eval', '--resume', id.slice(0, 15)], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout + resumed.stderr).toContain(`report: .sop/evals/${id}/report.html`);

    mkdirSync(path.join(evals, `${id.slice(0, 16)}zzzzz`));
    const several = await sop(['eval', '--resume', id.slice(0, 15)], { cwd });
    expect(several.code).toBe(2);
    expect(several.stderr).toContain(`error USAGE: eval id ${id.slice(0, 15)} is the beginning of 2 evals in ${evals}, newest first: ${id.slice(0, 16)}zzzzz, ${id}\n`);
    const none = await sop(['eval', '--resume', `${id.slice(0, 16)}zzzzy`], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`hint: did you mean ${id.slice(0, 16)}zzzzz? Else the eval id is the folder name under ${evals}`);
  });
});
