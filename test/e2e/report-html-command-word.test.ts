import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from '../cli/run-cli.js';
import { chromiumProgram, launchBrowser, type HeadlessBrowser } from '../support/browser.js';

/**
 * report.html's prose names the commands to run (`sop resume ID continues it`, `sop run --event-prompts
 * records them`) typed the way the command that built it was started: here `node PATH/bin/sop.js`,
 * from a folder outside sop's project with no `sop` on PATH, where a bare `sop` is not found.
 */
const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');
const NO_SOP_ON_PATH = { PATH: path.dirname(process.execPath), npm_command: undefined, npm_lifecycle_event: undefined, npm_execpath: undefined };
const BROWSER_WAIT = { timeout: 60_000 };

describe.skipIf(chromiumProgram.missing)(`report.html's commands, started as node PATH/bin/sop.js${chromiumProgram.skipNote}`, () => {
  let browser: HeadlessBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    removeTempDirs();
  });

  it('a killed run\'s page says `node PATH/bin/sop.js resume ID continues it`, and how to record prompts', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-word-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2', '--quiet'], { cwd, env: NO_SOP_ON_PATH });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const runDir = path.join(cwd, '.sop', 'runs', id);
    // Killed after its last round's commit: the journal ends there, without the run's end (nor report.json).
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n');
    const lastCommit = journal.findLastIndex((line) => line.includes('"type":"round-commit"'));
    writeFileSync(path.join(runDir, 'journal.jsonl'), `${journal.slice(0, lastCommit + 1).join('\n')}\n`);
    rmSync(path.join(runDir, 'report.json'));

    const report = await sop(['report', id], { cwd, env: NO_SOP_ON_PATH });
    expect(report.code, report.stderr).toBe(0);
    const { page, problems } = await browser.open(path.join(runDir, 'report.html'));
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('crashed');
    expect(await page.locator('#why').textContent()).toBe(`The run was killed before it ended (no process holds it): its journal has 2 rounds committed; node ${binPath} resume ${id} continues it.`);
    expect(await page.locator('#calls').textContent()).toContain(`Prompts were not recorded for this run (node ${binPath} run --event-prompts records them)`);
    expect(problems).toEqual([]);
  });
  it('a run killed after a call was answered, before its round was committed: the page tells that call beside the rounds', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-answered-');
    const run = await sop(['run', W1, 'owls', '--n-round', '2', '--quiet'], { cwd, env: NO_SOP_ON_PATH });
    expect(run.code, run.stderr).toBe(5);
    const id = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const runDir = path.join(cwd, '.sop', 'runs', id);
    // Killed right after round 2's answer was journaled: round 1 committed, round 2's answer after it.
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n');
    const answered = journal.findLastIndex((line) => line.includes('"type":"call-answered"') && line.includes('"round":2,'));
    expect(journal.slice(0, answered).some((line) => line.includes('"type":"round-commit","round":1'))).toBe(true);
    writeFileSync(path.join(runDir, 'journal.jsonl'), `${journal.slice(0, answered + 1).join('\n')}\n`);
    rmSync(path.join(runDir, 'report.json'));

    const report = await sop(['report', id], { cwd, env: NO_SOP_ON_PATH });
    expect(report.code, report.stderr).toBe(0);
    const { page, problems } = await browser.open(path.join(runDir, 'report.html'));
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('crashed');
    expect(await page.locator('#why').textContent()).toBe(`The run was killed before it ended (no process holds it): its journal has 1 round committed and 1 model call answered since ($0.0000), which a resume uses without asking again; node ${binPath} resume ${id} continues it.`);
    expect(problems).toEqual([]);
  });
});
