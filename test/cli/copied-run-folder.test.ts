import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * A run folder copied to another name (or another runs folder) keeps the journal of the run it was
 * copied from, whose id names the original folder: resuming the copy must name the copy in every
 * hint and status line, or a user following the hint acts on the original run.
 */
afterAll(removeTempDirs);

const ASK = path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml');
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

function onlyRun(runsDir: string): string {
  return readdirSync(runsDir).find((name) => !name.startsWith('.')) as string;
}

describe('resuming a copied run folder', () => {
  it('names the copy in the awaiting-approval refusal, the resume line, the human-gate hint, report.json and `sop runs`', async () => {
    const cwd = tempDir('sop-copied-run-');
    // A rejected output is revised and asked about again.
    const revising = readFileSync(ASK, 'utf8').replace('{ name: ok, human: { prompt: "Ship it?" } }', '{ name: ok, human: { prompt: "Ship it?" }, on_fail: { revise: 1 } }');
    expect(revising).toContain('revise');
    writeFileSync(path.join(cwd, 'ask.yaml'), revising);
    const first = await sop(['run', 'ask.yaml', 'a todo app', '--ci'], { cwd });
    expect(first.code, first.stderr).toBe(8);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const original = onlyRun(runsDir);
    const copy = 'my-copy';
    cpSync(path.join(runsDir, original), path.join(runsDir, copy), { recursive: true });

    // Before it is resumed, its report pages say the hint its records hold for the copy.
    expect((await sop(['report', copy], { cwd })).code).toBe(0);
    const page = readFileSync(path.join(runsDir, copy, 'report.html'), 'utf8');
    expect(page).toContain(`sop resume ${copy} --approve`);
    expect(page).not.toContain(original);
    expect((await sop(['report', copy, '--out', 'awaiting.md'], { cwd })).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'awaiting.md'), 'utf8')).toContain(`sop resume ${copy} --approve`);
    expect(readFileSync(path.join(cwd, 'awaiting.md'), 'utf8')).not.toContain(original);

    const undecided = await sop(['resume', copy, '--ci'], { cwd });
    expect(undecided.code).toBe(2);
    expect(undecided.stderr).toContain(`run ${copy} awaits approval of gate ok`);

    const rejected = await sop(['resume', copy, '--reject', 'say more', '--ci'], { cwd });
    expect(rejected.code, rejected.stderr).toBe(8);
    expect(rejected.stderr).toContain(`resume ${copy}: after `);
    expect(rejected.stderr).toContain(`sop resume ${copy} --approve`);
    expect(rejected.stderr).not.toContain(original);
    const report = JSON.parse(readFileSync(path.join(runsDir, copy, 'report.json'), 'utf8')) as { runId: string; hint: string };
    expect(report.runId).toBe(copy);
    expect(report.hint).toContain(`sop resume ${copy} --approve`);

    const approved = await sop(['resume', copy, '--approve', '--ci'], { cwd });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).not.toContain(original);
    // The report pages name the copy too (the HTML one is built from the journal, whose first line names the original).
    expect(readFileSync(path.join(runsDir, copy, 'report.html'), 'utf8')).toContain(`<title>ask ${copy}: completed</title>`);
    expect(readFileSync(path.join(runsDir, copy, 'report.html'), 'utf8')).not.toContain(original);
    expect((await sop(['report', copy, '--out', 'summary.md'], { cwd })).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toContain(`Run record: \`${copy}\``);
    const again = await sop(['resume', copy, '--approve', '--ci'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`run ${copy} already completed`);

    // The original was not touched: it still awaits its approval.
    const listed = JSON.parse((await sop(['runs', '--json'], { cwd })).stdout) as { result: { runs: Array<{ id: string; status: string }> } };
    expect(listed.result.runs.map(({ id, status }) => ({ id, status })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [{ id: original, status: 'awaiting_approval' }, { id: copy, status: 'completed' }].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('copied into another runs folder (--runs-dir), its round-limit hint names the copy', async () => {
    const cwd = tempDir('sop-copied-run-');
    const first = await sop(['run', W1, 'an idea', '--n-round', '2', '--ci'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const original = onlyRun(path.join(cwd, '.sop', 'runs'));
    mkdirSync(path.join(cwd, 'elsewhere'));
    cpSync(path.join(cwd, '.sop', 'runs', original), path.join(cwd, 'elsewhere', 'moved'), { recursive: true });

    const resumed = await sop(['resume', 'moved', '--runs-dir', 'elsewhere', '--n-round', '3', '--ci'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(5);
    expect(resumed.stderr).toContain('resume moved: after 2 rounds');
    expect(resumed.stderr).toContain(`hint: resume with more rounds: sop resume ${path.join('elsewhere', 'moved')} --n-round 13`);
    expect(resumed.stderr).not.toContain(original);
  });
});
