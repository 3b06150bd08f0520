import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumProgram, launchBrowser } from '../support/browser.js';
import { schemaValidators } from '../support/cli-envelope.js';
import { binPath, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * An artifact is written before its action's gates (a gate command checks the file), so a run
 * stopped while a gate checks it (test/fixtures/gate-wait: the gate waits for the file `go`) has a
 * draft its gate never passed: every report lists it as pending, not as written.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'gate-wait');

/** The run, stopped with Ctrl-C (SIGINT) once its gate command runs. */
async function interruptedInGate(cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [binPath, 'run', 'sop.yaml', 'an idea'], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  for (const until = Date.now() + 30_000; !existsSync(path.join(cwd, 'workspace', 'gate-wait', 'gate-started')); ) {
    if (Date.now() > until) throw new Error(`the gate never started; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGINT');
  return done;
}

describe('an artifact whose gate never decided (the run stopped in the gate)', () => {
  it('is pending, not written, in the run summary, report.json and the Markdown summary; the resume that passes the gate writes it', { timeout: 90_000 }, async () => {
    const cwd = tempDir('sop-pending-artifacts-');
    cpSync(FIXTURE, cwd, { recursive: true });
    const stopped = await interruptedInGate(cwd);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(
      'artifacts: 0 written to workspace/gate-wait\n' +
        'pending: 1 not accepted (the run stopped while its gate checked it; a draft in the workspace, written anew by a resume)\n' +
        '  draft.md\n',
    );
    // The draft is there, as written for the gate.
    expect(existsSync(path.join(cwd, 'workspace', 'gate-wait', 'draft.md'))).toBe(true);

    const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const runDir = path.join(cwd, '.sop', 'runs', runId);
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'interrupted', artifacts: [], pendingArtifacts: [{ path: 'draft.md', bytes: expect.any(Number) }] });
    expect(schemaValidators().report(report), JSON.stringify(schemaValidators().report.errors)).toBe(true);

    const markdown = await sop(['report', runId, '--out', 'summary.md'], { cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    const summary = readFileSync(path.join(cwd, 'summary.md'), 'utf8');
    // The workspace named from the folder the summary was made in, as the step summary names it.
    expect(summary).toContain('No artifacts written in <code>workspace/gate-wait</code>.');
    expect(summary).toContain('Pending, not accepted (the run stopped while their gates checked them; drafts a resume writes anew): `draft.md`.');

    // report.html: the action's files are pending, not written.
    if (!chromiumProgram.missing) {
      const browser = await launchBrowser();
      try {
        const { page, problems } = await browser.open(path.join(runDir, 'report.html'));
        await expect.poll(() => page.locator('#status').textContent(), { timeout: 60_000 }).toBe('interrupted');
        await page.locator('.timeline .round[data-round="1"] .bar').click();
        await expect.poll(() => page.locator('#detail h3').allTextContents(), { timeout: 60_000 }).toContain('Files pending (written for its gates, never accepted: the action interrupted)');
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    }

    writeFileSync(path.join(cwd, 'workspace', 'gate-wait', 'go'), '');
    const resumed = await sop(['resume', runId, '--json', '--quiet'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));
    expect(final).toMatchObject({ status: 'completed', artifacts: [{ path: 'draft.md' }] });
    expect(final.pendingArtifacts).toBeUndefined();
  });
});
