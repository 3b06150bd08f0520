import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * A run stopped while its command step runs (test/fixtures/resume-slow: alice's model call, bob's
 * command, which writes `started` and waits for the file `go`, carol's prompt file), then resumed.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');

/** A copy of the fixture, its run started and stopped by `signal` once bob's command runs. */
async function stoppedRun(signal: NodeJS.Signals, extra: string[] = [], options: { env?: Record<string, string>; editSop?: (text: string) => string } = {}): Promise<{ cwd: string; runId: string; stopped: CliResult }> {
  const cwd = tempDir('sop-resume-slow-');
  cpSync(FIXTURE, cwd, { recursive: true });
  if (options.editSop) writeFileSync(path.join(cwd, 'slow.yaml'), options.editSop(readFileSync(path.join(cwd, 'slow.yaml'), 'utf8')));
  const child = spawn(process.execPath, [binPath, 'run', 'slow.yaml', 'a note', ...extra], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const started = path.join(cwd, 'workspace', 'slow', 'started');
  // Bob's command runs, and round 1 (alice's) is committed in the journal (its write may wait up to 100 ms for round 2's).
  const ready = (): boolean => existsSync(started) && journalOf(cwd).includes('"type":"round-commit","round":1');
  for (const waitUntil = Date.now() + 30_000; !ready(); ) {
    if (Date.now() > waitUntil) throw new Error(`bob's command never started; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill(signal);
  const stopped = await done;
  // Run folders only: a killed run leaves its workspace's lock file (`.workspace-*.lock`) beside them.
  const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
  return { cwd, runId, stopped };
}

function journalOf(cwd: string): string {
  const runs = path.join(cwd, '.sop', 'runs');
  const [runId] = existsSync(runs) ? readdirSync(runs).filter((name) => !name.startsWith('.')) : [];
  const file = runId === undefined ? '' : path.join(runs, runId, 'journal.jsonl');
  return file !== '' && existsSync(file) ? readFileSync(file, 'utf8') : '';
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

  it('Ctrl-C says what it does: the running command is stopped (not finished) and its round runs again on `sop resume RUN`', { timeout: 60_000 }, async () => {
    const { runId, stopped } = await stoppedRun('SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    // The run is named, as the `resume with:` line after it names it: the command is one to paste.
    expect(stopped.stderr).toContain(`interrupting: stopping the running steps (model calls, commands) and saving the state; \`sop resume ${runId}\` runs their round again (Ctrl-C again to quit now)`);
    expect(stopped.stderr).toMatch(/\[round 2\] bob step_b \.\.\. interrupted/);
    expect(stopped.stderr).not.toContain('finishing the current step');
  });

  it('Ctrl-C of `sop resume` names the run in its note too', { timeout: 60_000 }, async () => {
    const { cwd, runId } = await stoppedRun('SIGINT');
    const child = spawn(process.execPath, [binPath, 'resume', runId], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Bob's command runs again: it adds its second line to `started`.
    const started = path.join(cwd, 'workspace', 'slow', 'started');
    for (const waitUntil = Date.now() + 30_000; readFileSync(started, 'utf8').trim().split('\n').length < 2; ) {
      if (Date.now() > waitUntil) throw new Error(`the resumed command never started; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGINT');
    expect(await done, stderr).toBe(130);
    expect(stderr).toContain(`saving the state; \`sop resume ${runId}\` runs their round again (Ctrl-C again to quit now)`);
  });

  it('the JUnit file of a resume covers the whole run: the steps before the resume once, the interrupted one as redone', { timeout: 60_000 }, async () => {
    const { cwd, runId, stopped } = await stoppedRun('SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    letCommandFinish(cwd);
    const resumed = await sop(['resume', runId, '--junit', 'junit.xml', '--json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    const xml = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    // alice ran before the resume, bob and carol in it; bob's interrupted attempt is not a test of its own.
    expect(xml).toContain('<testsuites name="slow" tests="4" failures="0"');
    expect(xml).toMatch(/<testsuite name="alice" tests="1" failures="0"[^>]*>\s*<testcase classname="alice" name="step_a"/);
    expect(xml).toMatch(/<testsuite name="bob" tests="1" failures="0"[^>]*>\s*<testcase classname="bob" name="step_b"/);
    expect(xml).toMatch(/<testsuite name="carol" tests="1" failures="0"[^>]*>\s*<testcase classname="carol" name="step_c"/);
    expect(xml).not.toContain('INTERRUPTED');
    // As the --json report does: every message of the run.
    expect(JSON.parse(resumed.stdout).result).toMatchObject({ status: 'completed', messages: { total: 4 } });
  });

  it('an interrupted run counts the rounds it completed alike in its summary, sop runs and sop resume', { timeout: 60_000 }, async () => {
    const { cwd, runId, stopped } = await stoppedRun('SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    // Round 1 (alice) completed; round 2 (bob) was cut off and runs again on resume.
    expect(stopped.stderr).toContain('status: interrupted in round 2 (1 round completed)\n');
    // The run's end event says so too: the HTML report reads it ("Ended interrupted in round 2 (1 round completed)").
    expect(journalOf(cwd)).toMatch(/"type":"run-end"[^\n]*"rounds":1,"stoppedInRound":2/);
    const page = await sop(['report', runId, '--out', 'report.html'], { cwd });
    expect(page.code, page.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'report.html'), 'utf8')).toContain('"stoppedInRound":2');
    const table = await sop(['runs'], { cwd });
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+slow\\s+interrupted\\s+\\S+\\s+1\\s+130\\s+(\\d{1,3}ms|\\d+\\.\\ds)\\s*$`, 'm'));
    const listed = await sop(['runs', '--json'], { cwd });
    expect(JSON.parse(listed.stdout).result.runs[0]).toMatchObject({ id: runId, status: 'interrupted', rounds: 1, exitCode: 130 });
    letCommandFinish(cwd);
    const resumed = await sop(['resume', runId], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resume ${runId}: after 1 round (was interrupted)`);
    expect(resumed.stderr).toContain('status: completed after 3 rounds');
  });

  it('Ctrl-C of a run given a secret as an input, with --json: the hint on stderr and in the envelope names the input to give again', { timeout: 60_000 }, async () => {
    // The token is a secret: the value of a \${env:NAME} header the run read. Given as an input too, it is recorded masked.
    const secret = 'tok-8f1e2d3c4b5a6978';
    const withSecret = (text: string): string =>
      text.replace('settings: { n_round: 6 }', 'settings: { n_round: 6 }\ninputs:\n  idea: { type: string }\n  token: { type: string, default: none }\ntools:\n  ping:\n    description: Ping the service\n    http: { url: "http://127.0.0.1:9/ping", headers: { Authorization: "Bearer ${env:SOP_TEST_PING_TOKEN}" } }');
    const { cwd, runId, stopped } = await stoppedRun('SIGINT', ['--input', `token=${secret}`, '--json'], { env: { SOP_TEST_PING_TOKEN: secret }, editSop: withSecret });
    letCommandFinish(cwd);
    expect(stopped.code, stopped.stderr).toBe(130);
    const hint = `resume with: sop resume ${runId} --input token=...`;
    expect(stopped.stderr.trimEnd().split('\n').at(-1)).toBe(hint);
    expect(JSON.parse(stopped.stdout).error.hint).toBe(hint);
    expect(`${stopped.stdout}${stopped.stderr}`).not.toContain(secret);
  });

  it('a crashed run (kill -9) shows the rounds its journal committed in sop runs, text and --json', { timeout: 60_000 }, async () => {
    const { cwd, runId, stopped } = await stoppedRun('SIGKILL');
    // The command the killed run left (nothing resumes this run) ends once it sees `go`.
    letCommandFinish(cwd);
    expect(stopped.code).toBe(null);
    const table = await sop(['runs'], { cwd });
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+slow\\s+crashed\\s+\\S+\\s+1\\s+-\\s+-\\s*$`, 'm'));
    const listed = await sop(['runs', '--json'], { cwd });
    expect(JSON.parse(listed.stdout).result.runs[0]).toMatchObject({ id: runId, status: 'crashed', rounds: 1, exitCode: null });
  });

  it('kill -9 leaves the command running in its own process group: the resume stops it, says so, and runs the step once', { timeout: 60_000 }, async () => {
    const { cwd, runId } = await stoppedRun('SIGKILL');
    const startedFile = path.join(cwd, 'workspace', 'slow', 'started');
    const pids = (): number[] => readFileSync(startedFile, 'utf8').trim().split('\n').map(Number);
    const [orphan] = pids() as [number];
    try {
      expect(running(orphan), 'the killed run\'s command outlives it').toBe(true);
      const resuming = sop(['resume', runId], { cwd });
      for (const waitUntil = Date.now() + 30_000; pids().length < 2; ) {
        if (Date.now() > waitUntil) throw new Error('the resume never started bob\'s command again');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The resumed round's command runs alone: the one the killed run left was stopped first.
      expect(running(orphan)).toBe(false);
      letCommandFinish(cwd);
      const resumed = await resuming;
      expect(resumed.code, resumed.stderr).toBe(0);
      // The word `sop runs` uses for it: its journal says `running`, but nothing runs it.
      expect(resumed.stderr).toContain(`resume ${runId}: after 1 round (was crashed)`);
      expect(resumed.stderr).toContain(`warning: stopped a command the killed run left running (pid ${orphan}: sh -c echo $$ >> started; while [ ! -f go ]; do sleep 0.05; done); the resumed round runs it again`);
      expect(readdirSync(path.join(cwd, '.sop', 'runs', runId)).filter((name) => name.startsWith('command-'))).toEqual([]);
    } finally {
      letCommandFinish(cwd);
    }
  });
});

/** Whether a process runs (a zombie nobody reaped has ended). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
