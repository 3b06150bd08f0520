import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * A run stopped while its command step runs (test/fixtures/resume-slow: alice's model call, bob's
 * command, which writes `started` and waits for the file `go`, carol's prompt file), then resumed.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');

/** A copy of the fixture, its run started and stopped by `signal` once bob's command runs. */
async function stoppedRun(signal: NodeJS.Signals, extra: string[] = []): Promise<{ cwd: string; runId: string; stopped: CliResult }> {
  const cwd = tempDir('sop-resume-slow-');
  cpSync(FIXTURE, cwd, { recursive: true });
  const child = spawn(process.execPath, [binPath, 'run', 'slow.yaml', 'a note', ...extra], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const started = path.join(cwd, 'workspace', 'slow', 'started');
  for (const waitUntil = Date.now() + 30_000; !existsSync(started); ) {
    if (Date.now() > waitUntil) throw new Error(`bob's command never started; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill(signal);
  const stopped = await done;
  const runId = readdirSync(path.join(cwd, '.sop', 'runs'))[0] as string;
  return { cwd, runId, stopped };
}

/** Lets bob's command (started again by the resume) finish at once. */
const letCommandFinish = (cwd: string): void => writeFileSync(path.join(cwd, 'workspace', 'slow', 'go'), '');

describe('sop resume of a run stopped in its command step', () => {
  it('a prompt file changed since the run started is refused (exit 2) naming the file; --allow-changed-sop resumes with it', { timeout: 60_000 }, async () => {
    const { cwd, runId, stopped } = await stoppedRun('SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    appendFileSync(path.join(cwd, 'prompts', 'c.liquid'), 'And be brief.\n');
    letCommandFinish(cwd);

    const refused = await sop(['resume', runId], { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: prompts/c\\.liquid changed since run ${runId} started \\(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\\)$`, 'm'));
    expect(refused.stderr).toContain('--allow-changed-sop');
    // Nothing ran: carol's artifact is not there.
    expect(existsSync(path.join(cwd, 'workspace', 'slow', 'c.md'))).toBe(false);

    const allowed = await sop(['resume', runId, '--allow-changed-sop', '--event-prompts'], { cwd });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('warning: prompts/c.liquid changed since the run started; resuming with the changed SOP (--allow-changed-sop)');
    const journal = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('And be brief.');
  });
});
