import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A run kept outside the default runs folder (`--runs-dir`): the hint that says how to continue it
 * names its folder, which `sop resume` takes, so the command works as printed (`sop resume ID`
 * alone looks in .sop/runs and does not find it).
 */
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

describe('a run kept with --runs-dir', () => {
  it('is named by its folder in the hint, and the hint works as printed', async () => {
    const cwd = tempDir('sop-hint-runs-dir-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2', '--runs-dir', 'out/runs'], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, 'out', 'runs')).find((name) => !name.startsWith('.')) as string;
    const folder = path.join('out', 'runs', id);
    expect(run.stderr).toContain(`resume with more rounds: sop resume ${folder} --n-round 12`);
    const resumed = await sop(['resume', folder, '--n-round', '3'], { cwd });
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(5);
    expect(resumed.stderr).toContain(`resume ${id}: after 2 rounds`);
    expect(resumed.stderr).toContain(`sop resume ${folder} --n-round 13`);
  });

  it('in the default runs folder is named by its id', async () => {
    const cwd = tempDir('sop-hint-runs-dir-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2'], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    expect(run.stderr).toContain(`resume with more rounds: sop resume ${id} --n-round 12`);
  });

  it('outside the working folder is named by its absolute path, quoted for a shell when it must be', async () => {
    const cwd = tempDir('sop-hint-runs-dir-');
    const elsewhere = path.join(tempDir('sop-hint-elsewhere-'), 'my runs');
    const run = await sop(['run', W1, 'owls', '--n-round', '2', '--runs-dir', elsewhere], { cwd });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(elsewhere).find((name) => !name.startsWith('.')) as string;
    expect(run.stderr).toContain(`resume with more rounds: sop resume '${path.join(elsewhere, id)}' --n-round 12`);
  });
});
