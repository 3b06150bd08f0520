import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * `sop report RUN` of a run without an end: one in progress (test/fixtures/resume-slow: alice's
 * model call in round 1, then bob's command waits for the file `go`), reported so far from its
 * journal in every form (text, --json, HTML, Markdown), and one killed, reported as crashed.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');

interface Started {
  cwd: string;
  runId: string;
  done: Promise<CliResult>;
  kill: (signal: NodeJS.Signals) => void;
}

/** `sop ARGS` in the background, once bob's command runs and round 1 is committed in the journal. */
async function startedUntilBobWaits(cwd: string, args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const started = path.join(cwd, 'workspace', 'slow', 'started');
  const runs = path.join(cwd, '.sop', 'runs');
  const runId = (): string | undefined => (existsSync(runs) ? readdirSync(runs).find((name) => !name.startsWith('.')) : undefined);
  const startsOfBob = (): number => (existsSync(started) ? readFileSync(started, 'utf8').trim().split('\n').length : 0);
  const before = startsOfBob();
  const journal = (): string => {
    const id = runId();
    const file = id === undefined ? '' : path.join(runs, id, 'journal.jsonl');
    return file !== '' && existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  for (const until = Date.now() + 30_000; !(startsOfBob() > before && journal().includes('"type":"round-commit","round":1')); ) {
    if (Date.now() > until) throw new Error(`bob's command never started; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { cwd, runId: runId() as string, done, kill: (signal) => child.kill(signal) };
}

function project(): string {
  const cwd = tempDir('sop-report-progress-');
  cpSync(FIXTURE, cwd, { recursive: true });
  return cwd;
}

/** The JSON the page embeds (`<script type="application/json" id="report-data">`). */
function embedded(file: string): Record<string, any> {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'));
  expect(match, 'report-data element').not.toBeNull();
  return JSON.parse(match?.[1] as string);
}

const letBobFinish = (cwd: string): void => writeFileSync(path.join(cwd, 'workspace', 'slow', 'go'), '');

describe('sop report RUN of a run that has not ended', () => {
  it('a run in progress: its report so far (status running, rounds committed, calls, cost) in every form, then its final report', { timeout: 90_000 }, async () => {
    const cwd = project();
    const run = await startedUntilBobWaits(cwd, ['run', 'slow.yaml', 'a note']);
    const runDir = path.join(cwd, '.sop', 'runs', run.runId);

    const json = await sop(['report', run.runId, '--json'], { cwd });
    expect(json.code, json.stderr).toBe(0);
    expect(envelopeOf(json)).toMatchObject({ ok: true, result: { runId: run.runId, status: 'running', rounds: 1, calls: 1, costUsd: 0, file: path.join(runDir, 'report.html') } });
    const page = embedded(path.join(runDir, 'report.html'));
    expect(page['progress']).toEqual({ status: 'running', rounds: 1 });
    expect(page['end']).toBeUndefined();

    const text = await sop(['report', run.runId], { cwd });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`${path.join(runDir, 'report.html')}\n`);
    expect(text.stderr).toBe(`run ${run.runId} is still running: this is its report so far (1 round committed, 1 model call, $0); the run writes its final report when it ends\n`);

    const markdown = await sop(['report', run.runId, '--out', 'so-far.md', '--json'], { cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(envelopeOf(markdown)).toMatchObject({ ok: true, result: { status: 'running', rounds: 1, calls: 1 } });
    const summary = readFileSync(path.join(cwd, 'so-far.md'), 'utf8');
    expect(summary.startsWith('### sop run: slow 0.1.0 ⏳ running\n')).toBe(true);
    expect(summary).toMatch(/^\| running \| - \| 1 \| 1 \| 162 \| \$0 \| \d+\.\ds \|$/m);
    expect(summary).toContain('_In progress: the report so far, up to the 1 round its journal committed (round 2 is running); report it again once it ends._');
    expect(summary).toMatch(/^\| alice \| 1 \| 0 \| 0 \| 0 \| 0 \| 1 \| 162 \| \$0 \|$/m);
    expect(summary).toContain('| `a.md` | 560 |');

    // `sop runs` tells the same: running, with the rounds committed so far (was `-`, and 0 in --json).
    const runs = await sop(['runs', '--json'], { cwd });
    expect(envelopeOf<any>(runs).result.runs[0]).toMatchObject({ id: run.runId, status: 'running', rounds: 1, exitCode: null });
    const table = await sop(['runs'], { cwd });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${run.runId} +slow +running +\\S+ +1 +- +- *$`, 'm'));

    letBobFinish(cwd);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(0);
    const final = await sop(['report', run.runId, '--json'], { cwd });
    expect(envelopeOf(final)).toMatchObject({ ok: true, result: { status: 'completed', rounds: 3, calls: 2 } });
    expect(final.stderr).toBe('');
    expect(embedded(path.join(runDir, 'report.html'))['progress']).toBeUndefined();
  });

  it('a resume in progress is running, not the end its journal has from the attempt before (interrupted)', { timeout: 90_000 }, async () => {
    const cwd = project();
    const first = await startedUntilBobWaits(cwd, ['run', 'slow.yaml', 'a note']);
    first.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    const before = await sop(['report', first.runId, '--json'], { cwd });
    expect(envelopeOf(before)).toMatchObject({ result: { status: 'interrupted', rounds: 1 } });

    const resumed = await startedUntilBobWaits(cwd, ['resume', first.runId]);
    const during = await sop(['report', first.runId, '--json'], { cwd });
    expect(envelopeOf(during)).toMatchObject({ ok: true, result: { status: 'running', rounds: 1 } });
    const markdown = await sop(['report', first.runId, '--out', 'resumed.md'], { cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'resumed.md'), 'utf8')).toMatch(/^\| running \| - \| 1 \| /m);
    letBobFinish(cwd);
    expect((await resumed.done).code).toBe(0);
  });

  it('a killed run (no process holds it) is reported as crashed up to its last committed round, with how to resume it', { timeout: 90_000 }, async () => {
    const cwd = project();
    const startedAt = Date.now();
    const run = await startedUntilBobWaits(cwd, ['run', 'slow.yaml', 'a note']);
    run.kill('SIGKILL');
    await run.done;
    const killedAt = Date.now();
    // bob's shell outlives its killed parent: let it end (its folder is removed after the tests, and it would wait for ever).
    letBobFinish(cwd);
    // Reported a while after the kill: the run's duration is its working time, up to its last record, not until the report.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const json = await sop(['report', run.runId, '--json'], { cwd });
    expect(envelopeOf(json)).toMatchObject({ ok: true, result: { status: 'crashed', rounds: 1, calls: 1 } });
    expect(json.stderr).toContain(`run ${run.runId} was killed before it ended: this is its report up to there (1 round committed, 1 model call, $0); \`sop resume ${run.runId}\` continues it`);
    expect(json.stderr).not.toMatch(STACK_LINE);
    const markdown = await sop(['report', run.runId, '--out', 'killed.md'], { cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    const summary = readFileSync(path.join(cwd, 'killed.md'), 'utf8');
    expect(summary).toMatch(/^\| crashed \| - \| 1 \| 1 \| /m);
    const seconds = Number(/^\| crashed \|(?: [^|]+ \|){5} ([\d.]+)s \|$/m.exec(summary)?.[1]);
    expect(seconds).toBeLessThanOrEqual(Math.ceil((killedAt - startedAt) / 100) / 10);
    expect(summary).toContain(`hint: resume with: sop resume ${run.runId}`);
  });

  it('a killed run reported from another folder: the resume command names its run folder (`sop resume ID` would not find it there) and runs as pasted into a shell', { timeout: 90_000 }, async () => {
    const parent = tempDir('sop-report-progress-');
    const name = "my proj #1 it's ü";
    const cwd = path.join(parent, name);
    cpSync(FIXTURE, cwd, { recursive: true });
    const run = await startedUntilBobWaits(cwd, ['run', 'slow.yaml', 'a note']);
    run.kill('SIGKILL');
    await run.done;
    letBobFinish(cwd);

    const text = await sop(['report', path.join(name, '.sop', 'runs', run.runId)], { cwd: parent });
    expect(text.code, text.stderr).toBe(0);
    const command = `sop resume 'my proj #1 it'\\''s ü/.sop/runs/${run.runId}'`;
    expect(text.stderr).toContain(`; \`${command}\` continues it\n`);
    const markdown = await sop(['report', path.join(name, '.sop', 'runs', run.runId), '--out', 'killed.md'], { cwd: parent });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(readFileSync(path.join(parent, 'killed.md'), 'utf8')).toContain(`hint: resume with: ${command}\n`);
    letBobFinish(cwd);
    const resumed = await sop([], { cwd: parent, launch: ['sh', '-c', command] });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('status: completed after 3 rounds');
  });

  it('a run killed before its start was saved (no snapshot) is not sent to `sop resume`, which refuses it', { timeout: 90_000 }, async () => {
    const cwd = project();
    const run = await startedUntilBobWaits(cwd, ['run', 'slow.yaml', 'a note']);
    run.kill('SIGKILL');
    await run.done;
    letBobFinish(cwd);
    // What a kill in the run's first ~100 ms leaves: the journal's run-info and sop-text lines, no snapshot yet.
    const file = path.join(cwd, '.sop', 'runs', run.runId, 'journal.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');

    const resumed = await sop(['resume', run.runId], { cwd });
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(resumed.stderr).toContain('error RUN_NOT_RESUMABLE: ');
    const json = await sop(['report', run.runId, '--json'], { cwd });
    expect(envelopeOf(json)).toMatchObject({ ok: true, result: { status: 'crashed', rounds: 0, calls: 0, resumable: false } });
    expect(json.stderr).toContain(`run ${run.runId} was killed before its start was saved: this is its report up to there (0 rounds committed, 0 model calls, $0); it cannot be resumed: start it again with \`sop run\``);
    expect(json.stderr).not.toContain('sop resume');
    expect(embedded(path.join(cwd, '.sop', 'runs', run.runId, 'report.html'))['progress']).toEqual({ status: 'crashed', rounds: 0, resumable: false });
  });

  it('a run killed after a call was answered, before its round was committed: the answered call is told beside the rounds (paid, kept for the resume), not hidden behind "0 model calls"', { timeout: 90_000 }, async () => {
    const cwd = project();
    // alice's answer is journaled, then her gate's command waits for `go`: round 1 is never committed.
    const sopText = readFileSync(path.join(cwd, 'slow.yaml'), 'utf8').replace(
      '        artifacts: [{ path: a.md }]\n',
      '        artifacts: [{ path: a.md }]\n        gates:\n          - command: { command: [sh, -c, "echo $$ >> started; while [ ! -f go ]; do sleep 0.05; done"] }\n',
    );
    writeFileSync(path.join(cwd, 'gated.yaml'), sopText);
    const child = spawn(process.execPath, [binPath, 'run', 'gated.yaml', 'a note'], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: 'ignore' });
    const closed = new Promise((resolve) => child.on('close', resolve));
    const runs = path.join(cwd, '.sop', 'runs');
    const journal = (): string => {
      const id = existsSync(runs) ? readdirSync(runs).find((name) => !name.startsWith('.')) : undefined;
      const file = id === undefined ? '' : path.join(runs, id, 'journal.jsonl');
      return file !== '' && existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    for (const until = Date.now() + 30_000; !(existsSync(path.join(cwd, 'workspace', 'slow', 'started')) && journal().includes('"type":"call-answered"')); ) {
      if (Date.now() > until) throw new Error('the gate never started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await closed;
    // The gate's shell outlives its killed parent: let it end.
    letBobFinish(cwd);
    const runId = readdirSync(runs).find((name) => !name.startsWith('.')) as string;
    expect(journal()).not.toContain('"type":"round-commit"');

    const json = await sop(['report', runId, '--json'], { cwd });
    expect(envelopeOf(json)).toMatchObject({ ok: true, result: { status: 'crashed', rounds: 0, calls: 0, costUsd: 0, answeredAfter: { calls: 1, costUsd: 0 } } });
    expect(json.stderr).toContain(`(0 rounds committed, 0 model calls, $0; 1 more call answered since ($0), kept in the journal: a resume uses it without asking again); \`sop resume ${runId}\` continues it`);
    expect(embedded(path.join(runs, runId, 'report.html'))['progress']).toEqual({ status: 'crashed', rounds: 0, answeredAfter: { calls: 1, costUsd: 0 } });
    const markdown = await sop(['report', runId, '--out', 'killed.md', '--json'], { cwd });
    expect(envelopeOf(markdown)).toMatchObject({ ok: true, result: { status: 'crashed', rounds: 0, calls: 0, answeredAfter: { calls: 1, costUsd: 0 } } });
  });
});
