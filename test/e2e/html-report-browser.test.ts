import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { chromiumProgram, launchBrowser, type HeadlessBrowser } from '../support/browser.js';

/**
 * The report.html a run leaves in its record, opened from file:// in headless Chromium: a software
 * company run whose PRD judge fails once then passes (prompts recorded), and a run its gate stopped.
 */
const SOFTWARE_COMPANY = path.join(repoRoot, 'sops', 'software-company.yaml');
const REJECTS_ONCE = path.join(repoRoot, 'test', 'fixtures', 'script', 'judge-rejects-prd.yaml');
const REJECTS_ALWAYS = path.join(repoRoot, 'test', 'fixtures', 'html-report', 'judge-always-rejects.yaml');
const EVAL_SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const DESK = path.join(repoRoot, 'test', 'fixtures', 'script', 'desk.yaml');
const TECHNICAL = path.join(repoRoot, 'test', 'fixtures', 'script', 'technical.script.yaml');
const BROWSER_WAIT = { timeout: 60_000 };

async function runReport(script: string, extra: string[]): Promise<{ cwd: string; html: string; code: number | null }> {
  const cwd = tempDir('sop-html-report-');
  const result = await sop(['run', SOFTWARE_COMPANY, 'a todo list', '--model', `script:${script}`, '--quiet', ...extra], { cwd });
  expect(result.stderr).not.toMatch(STACK_LINE);
  const runs = path.join(cwd, '.sop', 'runs');
  const [runId] = readdirSync(runs);
  return { cwd, html: path.join(runs, runId as string, 'report.html'), code: result.code };
}

describe.skipIf(chromiumProgram.missing)(`report.html in a real browser${chromiumProgram.skipNote}`, () => {
  let browser: HeadlessBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    removeTempDirs();
  });

  it('a completed run: status, timeline, team graph, a prompt and the gate feedback that caused a revision', { timeout: 240_000 }, async () => {
    const { cwd, html, code } = await runReport(REJECTS_ONCE, ['--event-prompts']);
    expect(code).toBe(0);
    const { page, problems } = await browser.open(html);
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('completed');

    // Timeline: a row per round, engineer and QA side by side in round 4.
    await page.locator('.timeline .round').first().waitFor(BROWSER_WAIT);
    expect(await page.locator('.timeline .round').count()).toBe(5);
    expect(await page.locator('.timeline .round[data-round="4"] .bar').count()).toBe(2);
    // Graph: the roles that ran are marked, and the failed judge gate.
    expect(await page.locator('#graph svg .node.role.ran').count()).toBe(5);
    expect(await page.locator('#graph svg .node.gate.failed').count()).toBe(1);
    // The path taken: the PRD went to the architect; no bug report was sent.
    expect(await page.locator('#graph svg g.edge.taken').filter({ has: page.locator('title', { hasText: /^PRD$/ }) }).count()).toBe(1);
    expect(await page.locator('#graph svg g.edge').filter({ has: page.locator('title', { hasText: /^BugReport/ }) }).count()).toBe(1);
    expect(await page.locator('#graph svg g.edge.taken').filter({ has: page.locator('title', { hasText: /^BugReport/ }) }).count()).toBe(0);

    // Click the product manager's action: its first call's prompt shows, then the gate's feedback.
    await page.locator('.timeline .round[data-round="1"] .bar').click();
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible', ...BROWSER_WAIT });
    expect(page.url()).toMatch(/#action-0$/);
    await expect.poll(() => detail.locator('pre.prompt').first().isVisible(), BROWSER_WAIT).toBe(true);
    expect(await detail.locator('pre.prompt').first().textContent()).toContain('You are Product Manager.');
    const feedback = detail.locator('details.gate-feedback').first();
    await feedback.locator('summary').click();
    await expect.poll(() => feedback.locator('pre.feedback').textContent(), BROWSER_WAIT).toContain('the user stories name no user');
    // The revision it caused: the link opens that model call, which says why it was made.
    await detail.locator('a[href^="#call-"]').first().click();
    const revision = page.locator('#calls details.call[open]');
    await revision.first().waitFor(BROWSER_WAIT);
    expect(await revision.first().textContent()).toContain('revision after gate prd-is-testable');
    expect(await revision.first().locator('pre.answer').textContent()).toContain('"project_name"');

    const screenshot = path.join(cwd, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });

  it('tool calls: the result the model got with --event-prompts, how to get it without; each call says why the model stopped', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-tools-');
    mkdirSync(path.join(cwd, 'ws'));
    writeFileSync(path.join(cwd, 'ws', 'faq.md'), 'Reinstalling fixes most crashes.\n');
    const reportOf = async (extra: string[]): Promise<string> => {
      const result = await sop(['run', DESK, 'my app crashes on start', '--model', `script:${TECHNICAL}`, '--workspace', 'ws', '--quiet', ...extra], { cwd });
      expect(result.code, result.stderr).toBe(0);
      const runs = path.join(cwd, '.sop', 'runs');
      const newest = readdirSync(runs).map((id) => path.join(runs, id)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] as string;
      return path.join(newest, 'report.html');
    };
    const openRoute = async (html: string) => {
      const opened = await browser.open(html);
      await opened.page.locator('.timeline .round[data-round="1"] .bar').first().click();
      const detail = opened.page.locator('#detail');
      await detail.waitFor({ state: 'visible', ...BROWSER_WAIT });
      return { ...opened, detail };
    };

    const kept = await openRoute(await reportOf(['--event-prompts']));
    await expect.poll(() => kept.detail.locator('pre.result').first().textContent(), BROWSER_WAIT).toBe('Reinstalling fixes most crashes.\n');
    expect(await kept.detail.locator('details.call').first().textContent()).toContain('Finish reason: tool_calls (it asked for tools)');
    expect(kept.problems).toEqual([]);

    const bare = await openRoute(await reportOf([]));
    await expect.poll(() => bare.detail.textContent(), BROWSER_WAIT).toContain('result not recorded: run with --event-prompts');
    expect(await bare.detail.locator('pre.result').count()).toBe(0);
    expect(bare.problems).toEqual([]);
  });

  it('a run a gate stopped: why it ended, where in the SOP, and that prompts were not recorded', { timeout: 240_000 }, async () => {
    const { cwd, html, code } = await runReport(REJECTS_ALWAYS, []);
    expect(code).toBe(7);
    expect(existsSync(html)).toBe(true);
    const { page, problems } = await browser.open(html);
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('gate_stopped');
    const why = await page.locator('#why').textContent();
    expect(why).toContain('gate prd-is-testable of product_manager write_prd failed (attempt 3) and stopped the run');
    expect(why).toContain('no user story names a user');
    // A judge gate is located at its entry in the SOP (the gate that stopped the run).
    expect(why).toMatch(/in the SOP: .*software-company\.yaml:\d+:\d+/);
    expect(await page.locator('.problem').first().textContent()).toContain('no user story names a user');

    await page.locator('.timeline .bar').first().click();
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible', ...BROWSER_WAIT });
    expect(await detail.textContent()).toContain('Prompt not recorded: run with --event-prompts');
    expect(await detail.locator('.gate-row').count()).toBe(3);

    const screenshot = path.join(cwd, 'report-failed.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });

  // Each check was a table of its own, its header repeated above every row and the columns not lined up;
  // a `contains`, `matches` or `length` gate was called `assert`, the check it resolves to.
  it('the Gate checks section: one table, one header, a row per check, each gate by the kind the SOP writes', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-gates-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8')
      .replace('          - path: draft.md\n', '          - path: draft.md\n        gates:\n          - { name: has-title, matches: "^# " }\n          - { name: long-enough, length: { min: 10 } }\n')
      .replace('          - path: review.json\n', '          - path: review.json\n        gates:\n          - { name: approved, assert: payload.approved, on_fail: warn }\n'));
    const result = await sop(['run', 'sop.yaml', 'tidal power', '--quiet'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const runs = path.join(cwd, '.sop', 'runs');
    const { page, problems } = await browser.open(path.join(runs, readdirSync(runs)[0] as string, 'report.html'));
    await expect.poll(() => page.locator('#gates .gate-row').count(), BROWSER_WAIT).toBe(3);
    expect(await page.locator('#gates table').count()).toBe(1);
    expect(await page.locator('#gates th', { hasText: /^gate$/ }).count()).toBe(1);
    // Each gate by its kind as the SOP writes it, as the team graph names it (a shorthand is no `assert` there).
    expect(await page.locator('#gates .gate-row td:nth-child(3)').allTextContents()).toEqual(['has-title (matches)', 'long-enough (length)', 'approved (assert)']);
    expect(problems).toEqual([]);
  });

  it('a run paused at a human gate: the page names the gate it awaits, its question and the file to review', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-awaiting-');
    // The escalated support-desk script without its human answer: nobody is asked, the run pauses at lead-sign-off.
    const desk = path.join(repoRoot, 'examples', 'support-desk');
    const script = path.join(cwd, 'no-human.yaml');
    writeFileSync(script, readFileSync(path.join(desk, 'scripts', 'escalated.yaml'), 'utf8').split('\n').filter((line) => !line.includes('human: approve')).join('\n'));
    const result = await sop(['run', path.join(desk, 'sop.yaml'), '--model', `script:${script}`, '--ci', '--quiet'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(8);
    const runs = path.join(cwd, '.sop', 'runs');
    const [runId] = readdirSync(runs);
    const { page, problems } = await browser.open(path.join(runs, runId as string, 'report.html'));
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('awaiting_approval');
    const why = await page.locator('#why').textContent();
    expect(why).toContain("awaiting approval: gate lead-sign-off of team_lead take_over (round 3): Send the team lead's reply in reply.md to the customer?; review reply.md");
    expect(why).toMatch(/in the SOP: .*support-desk[/\\]sop\.yaml:\d+:\d+/);
    expect(problems).toEqual([]);
  });

  it('a failed run: its error is listed under the round it stopped in', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-failed-');
    const file = path.join(cwd, 'missing-program.yaml');
    writeFileSync(file, [
      'apiVersion: sop/v1', 'kind: SOP', 'metadata: { name: missing-program, version: 1.0.0 }',
      'messages: { Req: { description: r }, Draft: { description: d }, Ran: { description: c } }',
      'start: [ { type: Req, content: write } ]',
      'roles:',
      '  writer: { profile: Writer, goal: w, watch: [Req], actions: [ { id: draft, prompt: go, output: { type: Draft, format: markdown } } ] }',
      '  runner: { profile: Runner, goal: r, watch: [Draft], actions: [ { id: check, run: { command: [no-such-program-sop-test] }, output: { type: Ran } } ] }',
      'stop_when: { type: Ran }', '',
    ].join('\n'));
    const result = await sop(['run', file, 'an idea', '--quiet'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    const runs = path.join(cwd, '.sop', 'runs');
    const [runId] = readdirSync(runs);
    const { page, problems } = await browser.open(path.join(runs, runId as string, 'report.html'));
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('failed');
    // The command runs in round 2, after the writer's round 1.
    const error = page.locator('.problem').filter({ hasText: 'COMMAND_FAILED' });
    expect(await error.textContent()).toContain('COMMAND_FAILED (round 2)');
    expect(problems).toEqual([]);
  });

  it('a run interrupted (Ctrl-C) during a command: the command shows interrupted and the time it ran, not unfinished in 0 ms', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-interrupted-');
    const file = path.join(cwd, 'slow-command.yaml');
    // The command says it started (this file), so the test interrupts it a known time after, whatever the load.
    const started = path.join(cwd, 'command-started');
    writeFileSync(file, [
      'apiVersion: sop/v1', 'kind: SOP', 'metadata: { name: slow-command, version: 1.0.0 }',
      'messages: { Req: { description: r }, Ran: { description: c } }',
      'start: [ { type: Req, content: wait } ]',
      'roles:',
      `  runner: { profile: Runner, goal: r, watch: [Req], actions: [ { id: wait, run: { command: [${JSON.stringify(process.execPath)}, -e, "require('fs').writeFileSync(process.argv[1], ''); setTimeout(() => {}, 60000)", ${JSON.stringify(started)}] }, output: { type: Ran } } ] }`,
      'stop_when: { type: Ran }', '',
    ].join('\n'));
    // Started as the sop() helper starts it (a user's environment, without Vitest's variables), but left running to be interrupted.
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' };
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    const child = spawn(process.execPath, [binPath, 'run', file, 'an idea', '--quiet'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    const runs = path.join(cwd, '.sop', 'runs');
    // Interrupted more than a second after the command started: its row shows how long it ran.
    await expect.poll(() => existsSync(started), BROWSER_WAIT).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    child.kill('SIGINT');
    expect(await ended).toBe(130);
    expect(stderr).not.toMatch(STACK_LINE);
    const runId = readdirSync(runs).find((name) => !name.startsWith('.'));
    const { page, problems } = await browser.open(path.join(runs, runId as string, 'report.html'));
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('interrupted');
    const row = page.locator('#tools tr').filter({ hasText: 'setTimeout' });
    const cells = await row.locator('td').allTextContents();
    expect(cells).toContain('interrupted');
    const took = cells[cells.length - 1] as string;
    expect(took).toMatch(/^\d+(\.\d+)? s$/);
    expect(Number.parseFloat(took)).toBeGreaterThanOrEqual(1);
    expect(problems).toEqual([]);
  });

  it('sop eval: a case × model table whose cells open each run\'s report', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-eval-');
    writeFileSync(path.join(cwd, 'cases.yaml'), [
      'apiVersion: sop-eval/v1',
      'cases:',
      '  - { name: first, inputs: { idea: "question one" }, expect: { artifacts: [{ path: answer.md, contains: "question one" }] }, judge: [{ rubric: answers it, of: answer.md }] }',
      '  - { name: second, inputs: { idea: "question two" }, expect: { artifacts: [{ path: answer.md, contains: "never there" }] } }',
      '',
    ].join('\n'));
    writeFileSync(path.join(cwd, 'empty.script.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    const result = await sop(['eval', EVAL_SOP, '--dataset', 'cases.yaml', '--model', 'offline', '--model', 'script:empty.script.yaml', '--quiet'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    const evals = path.join(cwd, '.sop', 'evals');
    const [evalId] = readdirSync(evals);
    const { page, problems } = await browser.open(path.join(evals, evalId as string, 'report.html'));
    const table = page.locator('#cases');
    await table.waitFor(BROWSER_WAIT);
    expect(await table.locator('th').allTextContents()).toEqual(['case', 'offline', 'script:empty.script.yaml']);
    expect(await table.locator('a.ok').count()).toBe(2);
    expect(await table.locator('a.bad').count()).toBe(2);
    expect(await page.locator('#models tr').count()).toBe(3);
    // The offline model's 10 (also when an empty script falls back to it) is shown as no grade, under the pass.
    expect(await table.locator('td.cell').filter({ hasText: 'not graded (offline model): judge[0] answer.md' }).count()).toBe(2);
    await page.screenshot({ path: path.join(cwd, 'eval.png'), fullPage: true });

    // A failed cell opens that run's own report.
    await table.locator('a.bad').first().click();
    await expect.poll(() => page.locator('#status').textContent(), BROWSER_WAIT).toBe('completed');
    expect(page.url()).toMatch(/\/\.sop\/runs\/[^/]+\/report\.html$/);
    expect(await page.locator('.timeline .bar').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  // A failed cell showed its first failure only: a case failing two checks looked like failing one.
  it('sop eval: a failed cell lists its failed checks, the first three, then how many more', { timeout: 240_000 }, async () => {
    const cwd = tempDir('sop-html-eval-failures-');
    const checks = ['one', 'two', 'three', 'four'].map((word) => `{ path: answer.md, contains: "${word} never there" }`).join(', ');
    writeFileSync(path.join(cwd, 'cases.yaml'), `apiVersion: sop-eval/v1\ncases:\n  - { name: many, inputs: { idea: "a question" }, expect: { artifacts: [${checks}] } }\n`);
    const result = await sop(['eval', EVAL_SOP, '--dataset', 'cases.yaml', '--quiet'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    const evals = path.join(cwd, '.sop', 'evals');
    const { page, problems } = await browser.open(path.join(evals, readdirSync(evals)[0] as string, 'report.html'));
    const cell = page.locator('#cases td.cell');
    await cell.waitFor(BROWSER_WAIT);
    const lines = await cell.locator('div.muted').allTextContents();
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((line) => /"(\w+) never there"/.exec(line)?.[1])).toEqual(['one', 'two', 'three']);
    expect(lines[3]).toBe('and 1 more (on the run\'s link, and in its report)');
    expect(await page.locator('#models th.num').count()).toBe(7);
    expect(problems).toEqual([]);
  });
});
