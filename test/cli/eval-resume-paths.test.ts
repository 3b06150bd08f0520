import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval --resume ID` (the next CI job continuing an interrupted eval) names the dataset as the
 * eval that started it did, relative to the current folder: its record holds the path absolute,
 * which the step summary's title and table and each failure's location showed (the runner's
 * `/home/runner/work/...`).
 */
describe('sop eval --resume: file names', () => {
  it('the step summary and the failures name the dataset relative to the current folder, as the first eval did', async () => {
    const cwd = tempDir('sop-eval-resume-paths-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: never\n    inputs: { idea: "question 1" }\n    expect: { status: failed }\n');
    const env = { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), CI: 'true' };
    const first = await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml'], { cwd, env });
    expect(first.code, first.stderr).toBe(0);
    const [evalId] = readdirSync(path.join(cwd, '.sop', 'evals'));
    const summaryFile = path.join(cwd, 'summary.md');
    const resumed = await sop(['eval', '--resume', evalId as string], { cwd, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd, GITHUB_STEP_SUMMARY: summaryFile } });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/^### sop eval: \S+ on cases\.yaml /m);
    expect(summary).toMatch(/^\| never \| `cases\.yaml:3:5` \|/m);
    expect(resumed.stdout).toMatch(/^ {2}cases\.yaml:5:\d+: expect\.status: /m);
    for (const text of [summary, resumed.stdout]) expect(text).not.toContain(cwd);
  });
});
