import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * Ctrl-C while `sop eval` is still setting up (reading its baseline, SOP, dataset) ended the process
 * by the signal, with not a word; it now ends as an interrupted eval: said so, exit 130. The
 * baseline is a FIFO, so the Ctrl-C lands while the eval is surely in its set-up: the eval blocks
 * reading it until the test writes it.
 */
describe('sop eval: Ctrl-C during set-up', () => {
  it('says the eval was interrupted before any case ended and how to continue, exit 130, with no results table', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-eval-interrupt-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: q1, inputs: { idea: "question 1" } }\n');
    execFileSync('mkfifo', [path.join(cwd, 'baseline.json')]);
    const child = spawn(process.execPath, [binPath, 'eval', 'answer.yaml', '--dataset', 'cases.yaml', '--baseline', 'baseline.json'], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Opening the FIFO to write returns once the eval opened it to read: it is in its set-up.
    const baseline = await open(path.join(cwd, 'baseline.json'), 'w');
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // An eval killed by the signal reads no more (EPIPE): the assertions below say what happened.
    await baseline.writeFile('{"schemaVersion": 1, "runs": []}').catch(() => undefined);
    await baseline.close().catch(() => undefined);
    const { code, signal } = await exited;
    expect(signal, stderr).toBeNull();
    expect(code, stderr).toBe(130);
    // The signal is taken once the set-up's blocking read returns, its record made by then: the note names its id.
    const evalId = /^ {2}hint: continue with: sop eval --resume (\S+)$/m.exec(stderr)?.[1];
    expect(stderr).toContain(`interrupting: stopping the running cases' runs and saving the eval's record; \`sop eval --resume ${evalId}\` continues it`);
    // Not the note of `sop run`: an eval is not continued with `sop resume`.
    expect(stderr).not.toContain('`sop resume`');
    expect(stderr).toMatch(/^error RUN_INTERRUPTED: eval interrupted before any case ended \(0 of 1 run done\)$/m);
    expect(stderr).toMatch(/^ {2}hint: continue with: sop eval --resume \S+$/m);
    expect(stderr).not.toMatch(STACK_LINE);
    // No results of an eval that ran nothing: not a table of 0/0 runs, nor an empty page named.
    expect(stdout).toBe('');
    expect(stderr).not.toContain('report: ');
    expect(existsSync(path.join(cwd, '.sop', 'evals', evalId as string, 'report.html'))).toBe(false);
    // The command it prints continues it: the case runs.
    const resumed = await sop(['eval', '--resume', evalId as string], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('[1/1] q1 on offline: passed');
    expect(resumed.stdout).toMatch(/^offline +1\/1 /m);
  });
});

describe('sop eval: Ctrl-C while the first case runs', () => {
  // It printed a results table of 0/0 runs (and named an empty page) above the error.
  it('says the eval was interrupted before any case ended, no table, exit 130; the printed command continues it', { timeout: 90_000 }, async () => {
    const cwd = tempDir('sop-eval-interrupt-running-');
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'resume-slow'), cwd, { recursive: true });
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: one, inputs: { idea: x } }\n');
    const evals = path.join(cwd, '.sop', 'evals');
    // The case's run is in bob's command (it wrote `started`, and waits for `go`).
    const started = (): boolean => {
      const [evalId] = existsSync(evals) ? readdirSync(evals) : [];
      const workspaces = evalId === undefined ? '' : path.join(evals, evalId, 'workspaces');
      const [runId] = workspaces !== '' && existsSync(workspaces) ? readdirSync(workspaces) : [];
      return runId !== undefined && existsSync(path.join(workspaces, runId, 'started'));
    };
    const child = spawn(process.execPath, [binPath, 'eval', 'slow.yaml', '--dataset', 'cases.yaml'], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    for (const limit = Date.now() + 30_000; !started(); await new Promise((resolve) => setTimeout(resolve, 20))) if (Date.now() > limit) throw new Error(`the case never started: ${stderr}`);
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(signal, stderr).toBeNull();
    expect(code, stderr).toBe(130);
    const evalId = readdirSync(evals)[0] as string;
    expect(stderr).toMatch(/^error RUN_INTERRUPTED: eval interrupted before any case ended \(0 of 1 run done\)$/m);
    expect(stderr).toContain(`  hint: continue with: sop eval --resume ${evalId}\n`);
    expect(stdout).toBe('');
    expect(stderr).not.toContain('report: ');
    expect(stderr).not.toMatch(STACK_LINE);

    // Let bob's command end this time: the resumed eval resumes the case's run and judges it.
    const workspaces = path.join(evals, evalId, 'workspaces');
    writeFileSync(path.join(workspaces, readdirSync(workspaces)[0] as string, 'go'), '');
    const resumed = await sop(['eval', '--resume', evalId], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('[1/1] one on offline: passed');
    expect(resumed.stderr).toMatch(/^report: \.sop\/evals\/\S+\/report\.html$/m);
  });
});

describe('sop eval: the resume command of an eval kept elsewhere (--evals-dir)', () => {
  // It said `sop eval --resume ID` alone, which looks in ./.sop/evals: no eval found there.
  it('names the evals folder, quoted for a shell, and runs as pasted', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-eval-interrupt-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: q1, inputs: { idea: "question 1" } }\n');
    execFileSync('mkfifo', [path.join(cwd, 'baseline.json')]);
    const child = spawn(process.execPath, [binPath, 'eval', 'answer.yaml', '--dataset', 'cases.yaml', '--baseline', 'baseline.json', '--evals-dir', "evals #1 it's ü"], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const baseline = await open(path.join(cwd, 'baseline.json'), 'w');
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await baseline.writeFile('{"schemaVersion": 1, "runs": []}').catch(() => undefined);
    await baseline.close().catch(() => undefined);
    expect(await exited, stderr).toBe(130);
    const command = /^ {2}hint: continue with: (sop eval --resume \S+ --evals-dir .+)$/m.exec(stderr)?.[1];
    expect(command, stderr).toMatch(/ --evals-dir 'evals #1 it'\\''s ü'$/);
    const resumed = await sop([], { cwd, launch: ['sh', '-c', command as string] });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('[1/1] q1 on offline: passed');
  });
});

describe('sop eval --resume of an eval whose run another process holds', () => {
  // Its hint said `sop eval --resume ID` alone: with the record kept under --evals-dir, no eval was found there.
  it('is refused with the command to continue it later, --evals-dir included', { timeout: 90_000 }, async () => {
    const cwd = tempDir('sop-eval-locked-');
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'resume-slow'), cwd, { recursive: true });
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: one, inputs: { idea: x } }\n');
    const evals = path.join(cwd, 'evals #1');
    const started = (): string | undefined => {
      const [evalId] = existsSync(evals) ? readdirSync(evals) : [];
      const workspaces = evalId === undefined ? '' : path.join(evals, evalId, 'workspaces');
      const [runId] = workspaces !== '' && existsSync(workspaces) ? readdirSync(workspaces) : [];
      const file = runId === undefined ? '' : path.join(workspaces, runId, 'started');
      return file !== '' && existsSync(file) ? file : undefined;
    };
    const until = async (ready: () => boolean): Promise<void> => {
      for (const limit = Date.now() + 30_000; !ready(); await new Promise((resolve) => setTimeout(resolve, 20))) if (Date.now() > limit) throw new Error('timed out');
    };
    const background = (args: string[]): { child: ReturnType<typeof spawn>; ended: Promise<number | null> } => {
      const child = spawn(process.execPath, [binPath, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: 'ignore' });
      return { child, ended: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    };
    // The eval killed while the case's run waits in bob's command; then that run resumed on its own, waiting there again.
    const evaluation = background(['eval', 'slow.yaml', '--dataset', 'cases.yaml', '--evals-dir', 'evals #1']);
    await until(() => started() !== undefined);
    evaluation.child.kill('SIGKILL');
    await evaluation.ended;
    const file = started() as string;
    const runId = path.basename(path.dirname(file));
    const evalId = readdirSync(evals)[0] as string;
    const resume = background(['resume', path.join('.sop', 'runs', runId)]);
    await until(() => readFileSync(file, 'utf8').trim().split('\n').length === 2);

    const locked = await sop(['eval', '--resume', evalId, '--evals-dir', 'evals #1'], { cwd });
    expect(locked.code, locked.stderr).toBe(13);
    expect(locked.stderr).toContain(`continue with: sop eval --resume ${evalId} --evals-dir 'evals #1'`);
    writeFileSync(path.join(path.dirname(file), 'go'), '');
    expect(await resume.ended).toBe(0);
  });
});
