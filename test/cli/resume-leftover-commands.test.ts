import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * `sop run` killed with `kill -9` while a command runs (a `run:` step's, a tool's), then resumed:
 * the command, in its own process group, outlives the run; its note in the run folder lets the
 * resume stop it. Each fixture's command writes its pid to `started` and waits for the file `go`.
 */
afterAll(removeTempDirs);

const FIXTURES = path.join(repoRoot, 'test', 'fixtures');
const MCP_SERVER = path.join(repoRoot, 'test', 'support', 'mcp', 'test-server.mjs');
const WAITING_COMMAND = 'sh -c echo $$ >> started; while [ ! -f go ]; do sleep 0.05; done';

interface KilledRun {
  cwd: string;
  runId: string;
  runDir: string;
  /** The workspace folder the commands run in. */
  workspace: string;
  /** What the killed `sop run` printed before the kill. */
  printed: CliResult;
}

/** A copy of `fixture` run with `args` and killed with SIGKILL once `ready(cwd)` holds. */
async function killedRun(fixture: string, args: string[], env: Record<string, string>, ready: (cwd: string) => boolean, sopName: string): Promise<KilledRun> {
  const cwd = tempDir('sop-leftover-');
  cpSync(path.join(FIXTURES, fixture), cwd, { recursive: true });
  const child = spawn(process.execPath, [binPath, 'run', ...args], {
    cwd,
    env: { ...process.env, ...env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const workspace = path.join(cwd, 'workspace', sopName);
  try {
    // The start's snapshot is in the journal too (its write may wait up to 100 ms for the next), so the run can resume.
    await waitFor(() => ready(cwd) && journalOf(cwd).includes('"type":"snapshot"'), () => `the command never started, or was never noted in the run folder; stderr: ${stderr}`);
  } catch (error) {
    child.kill('SIGKILL');
    await done;
    stopCommands(workspace);
    throw error;
  }
  child.kill('SIGKILL');
  const printed = await done;
  // Run folders only: the killed run's workspace lock (`.workspace-*.lock`) is beside them.
  const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
  return { cwd, runId, runDir: path.join(cwd, '.sop', 'runs', runId), workspace, printed };
}

/** Kills what a test left of the fixture's commands (their folder is removed after the tests, so `go` would never come). */
function stopCommands(workspace: string): void {
  for (const pid of startedPids(workspace)) {
    if (!groupRunning(pid) || !processes().some((entry) => entry.pid === pid && entry.cmdline.includes('while [ ! -f go ]'))) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone in between.
    }
  }
}

async function waitFor(check: () => boolean, failure: () => string, seconds = 30): Promise<void> {
  for (const waitUntil = Date.now() + seconds * 1000; !check(); ) {
    if (Date.now() > waitUntil) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function commandNotes(runDir: string): string[] {
  return existsSync(runDir) ? readdirSync(runDir).filter((name) => /^command-\d+\.json$/.test(name)) : [];
}

function onlyRunDir(cwd: string): string | undefined {
  const runs = path.join(cwd, '.sop', 'runs');
  const [runId] = existsSync(runs) ? readdirSync(runs).filter((name) => !name.startsWith('.')) : [];
  return runId === undefined ? undefined : path.join(runs, runId);
}

function journalOf(cwd: string): string {
  const runDir = onlyRunDir(cwd);
  const file = runDir === undefined ? '' : path.join(runDir, 'journal.jsonl');
  return file !== '' && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The pids the fixture's command wrote, one per start. */
function startedPids(workspace: string): number[] {
  const file = path.join(workspace, 'started');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
}

/** Whether any process of the group runs (a zombie nobody reaped has ended). */
function groupRunning(pgid: number): boolean {
  return processes().some((entry) => entry.pgid === pgid && entry.state !== 'Z');
}

/** The running processes with `part` in their command line and `cwd` as their working folder. */
function processesOf(part: string, cwd: string): number[] {
  const folder = realpathSync(cwd);
  return processes()
    .filter((entry) => entry.state !== 'Z' && entry.cmdline.includes(part) && entry.cwd === folder)
    .map((entry) => entry.pid);
}

function processes(): Array<{ pid: number; pgid: number; state: string; cmdline: string; cwd: string }> {
  const found = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // Not ours to read, or gone.
      }
      found.push({ pid: Number(name), pgid: Number(pgrp), state: state as string, cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' '), cwd });
    } catch {
      // Ended while listed.
    }
  }
  return found;
}

/** Every file under `folder`, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile());
}

/** Each file under `folder` with its content: what a command that must write nothing there compares. */
function folderContents(folder: string): Record<string, string> {
  return Object.fromEntries(filesUnder(folder).map((file) => [path.relative(folder, file), readFileSync(file, 'utf8')]));
}

/** The files under `folder` that hold `text` (read as bytes, whatever they are). */
function filesHolding(folder: string, text: string): string[] {
  return filesUnder(folder).filter((file) => readFileSync(file).includes(Buffer.from(text)));
}

/**
 * Resumes `run` (with `args` after its id) and lets the command the resume starts again finish once
 * it runs; the leftover's group must be gone by then. `running` sees the resumed command's pid first.
 */
async function resumeStoppingLeftover(run: KilledRun, orphan: number, env: Record<string, string>, args: string[] = [], running: (pid: number) => void = () => undefined): Promise<CliResult> {
  let ended: CliResult | undefined;
  const resuming = sop(['resume', run.runId, ...args], { cwd: run.cwd, env }).then((result) => (ended = result));
  try {
    await waitFor(() => startedPids(run.workspace).length >= 2, () => `the resume never started the command again; it ${ended ? `exited ${ended.code}: ${ended.stderr}` : 'still runs'}`);
    // The one the killed run left is stopped by the resume (SIGKILL, then at most 2 s until it is gone);
    // on a loaded machine it was seen still running as the resumed command started, and once (load
    // 12-15, two suites side by side) still after 5 s, so this waits up to 15 s.
    await waitFor(() => !groupRunning(orphan), () => 'the leftover command\'s process group outlived the resume that stopped it', 15);
    running(startedPids(run.workspace)[1] as number);
  } finally {
    writeFileSync(path.join(run.workspace, 'go'), '');
  }
  return resuming;
}

describe('sop resume after a kill -9 of sop run while a command runs', () => {
  it('a secret in a command step\'s arguments reaches neither the run folder, the workspace nor what sop runs and sop resume print; the resume, given the secret input again, stops the command the kill left and runs it with the secret', { timeout: 90_000 }, async () => {
    // The vault server's token (`${env:NAME}` in mcp_servers, a secret) given to the deploy command as an input.
    const secret = 'vault-tok-5be81c0d2f7a4e96';
    const env = { SOP_TEST_VAULT_TOKEN: secret };
    const run = await killedRun('resume-secret', ['deploy.yaml', '--input', `token=${secret}`], env, (cwd) => {
      const runDir = onlyRunDir(cwd);
      return runDir !== undefined && commandNotes(runDir).length > 0 && existsSync(path.join(cwd, 'workspace', 'deploy', 'started'));
    }, 'deploy');
    try {
      expect(run.printed.code).toBe(null);
      const [noteName] = commandNotes(run.runDir) as [string];
      const note = JSON.parse(readFileSync(path.join(run.runDir, noteName), 'utf8')) as { pid: number; argv: string[] };
      // The note shows the argument masked; the command itself got the token.
      expect(note.argv.at(-1)).toBe('--token=***');
      const [orphan] = startedPids(run.workspace) as [number];
      expect(note.pid).toBe(orphan);
      expect(groupRunning(orphan), 'the killed run\'s command outlives it').toBe(true);
      expect(readFileSync(`/proc/${orphan}/cmdline`, 'utf8')).toContain(`--token=${secret}`);
      expect(filesHolding(run.cwd, secret), 'files holding the secret after the kill').toEqual([]);

      const table = await sop(['runs'], { cwd: run.cwd, env });
      const listed = await sop(['runs', '--json'], { cwd: run.cwd, env });
      expect(JSON.parse(listed.stdout).result.runs[0]).toMatchObject({ id: run.runId, status: 'crashed' });

      // The token is recorded masked: given again, the resumed command gets it, not `***`.
      let resumedArgv = '';
      const resumed = await resumeStoppingLeftover(run, orphan, env, ['--input', `token=${secret}`], (pid) => (resumedArgv = readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumedArgv.split('\0').at(-2)).toBe(`--token=${secret}`);
      expect(resumed.stderr).toContain(`warning: stopped a command the killed run left running (pid ${orphan}: ${WAITING_COMMAND} deploy --token=***); the resumed round runs it again`);
      expect(resumed.stderr).toContain('status: completed after 1 round');
      expect(commandNotes(run.runDir)).toEqual([]);

      for (const [what, printed] of [['sop run', run.printed], ['sop runs', table], ['sop runs --json', listed], ['sop resume', resumed]] as const) {
        expect(`${printed.stdout}\n${printed.stderr}`, `what ${what} printed`).not.toContain(secret);
      }
      // The run folder (journal, note, reports) and the workspace, after the resume too.
      expect(filesUnder(run.runDir).length).toBeGreaterThan(1);
      expect(filesHolding(run.cwd, secret), 'files holding the secret after the resume').toEqual([]);
    } finally {
      stopCommands(run.workspace);
    }
  });

  it('a resume not given an input recorded masked (a secret) is refused before it does anything, naming the input and the command that gives it; an input recorded as given is refused as --input', { timeout: 90_000 }, async () => {
    const secret = 'vault-tok-5be81c0d2f7a4e96';
    const env = { SOP_TEST_VAULT_TOKEN: secret };
    const run = await killedRun('resume-secret', ['deploy.yaml', '--input', `token=${secret}`], env, (cwd) => existsSync(path.join(cwd, 'workspace', 'deploy', 'started')), 'deploy');
    try {
      const [orphan] = startedPids(run.workspace) as [number];
      const before = folderContents(run.runDir);
      expect(readFileSync(path.join(run.runDir, 'journal.jsonl'), 'utf8')).toContain('"inputs":{"token":"***","region":"eu-west-1"}');

      const refused = await sop(['resume', run.runId], { cwd: run.cwd, env });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toBe(
        `error INPUT_MISSING: run ${run.runId} needs input "token" given again: its value was a secret, recorded as *** (secrets never reach the run's record), and the run would go on with *** in its place\n` +
          `  hint: give it again, as to \`sop run\`: sop resume ${run.runId} --input token=...\n`,
      );
      const json = await sop(['resume', run.runId, '--json'], { cwd: run.cwd, env });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ command: 'resume', ok: false, exitCode: 2, error: { code: 'INPUT_MISSING', exitCode: 2 } });

      // `region` was recorded as given: the run keeps it, with the secret given beside it or not.
      for (const args of [['--input', 'region=us-east-2'], ['--input', 'region=us-east-2', '--input', `token=${secret}`]]) {
        const unmasked = await sop(['resume', run.runId, ...args], { cwd: run.cwd, env });
        expect(unmasked.code, unmasked.stderr).toBe(2);
        expect(unmasked.stderr).toBe(
          "error USAGE: --input region is fixed when the run started: the inputs are in the run's record (only an input recorded masked, a secret, is given again; this run's: token)\n" +
            '  hint: resume without --input region=... (the resumed run keeps its own); to change it, start a new run with `sop run`\n',
        );
        expect(unmasked.stdout).not.toContain(secret);
      }

      // Nothing was done: the run folder is as the kill left it, and the killed run's command was not stopped.
      expect(folderContents(run.runDir)).toEqual(before);
      expect(groupRunning(orphan), 'the killed run\'s command still runs').toBe(true);
      expect(startedPids(run.workspace)).toEqual([orphan]);
    } finally {
      stopCommands(run.workspace);
    }
  });

  it.each([
    ['a declared command tool', 'declared'],
    ['the shell tool', 'shell'],
  ])('kill -9 while %s runs a command: the resume stops the command, says so as for a step, and the MCP server ended with the killed run', { timeout: 90_000 }, async (_, name) => {
    const env = { SOP_TEST_MCP_SERVER: MCP_SERVER };
    let servers: number[] = [];
    const run = await killedRun('resume-tool-command', [`${name}.yaml`, 'now', '--model', `script:${name}.script.yaml`], env, (cwd) => {
      servers = processesOf(MCP_SERVER, cwd);
      const runDir = onlyRunDir(cwd);
      return servers.length > 0 && runDir !== undefined && commandNotes(runDir).length > 0 && existsSync(path.join(cwd, 'workspace', 'tools', 'started'));
    }, 'tools');
    try {
      const [orphan] = startedPids(run.workspace) as [number];
      expect(groupRunning(orphan), 'the tool\'s command outlives the killed run').toBe(true);
      expect(commandNotes(run.runDir)).toEqual([`command-${orphan}.json`]);
      // The server is sop's child in sop's process group, its stdin a pipe from sop: it ends when that closes.
      await waitFor(() => processesOf(MCP_SERVER, run.cwd).length === 0, () => `the MCP server (pid ${servers.join(', ')}) outlived the killed run`, 10);

      const resumed = await resumeStoppingLeftover(run, orphan, env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`warning: stopped a command the killed run left running (pid ${orphan}: ${WAITING_COMMAND}); the resumed round runs it again`);
      expect(resumed.stderr).toContain('status: completed after 1 round');
      expect(commandNotes(run.runDir)).toEqual([]);
      expect(processesOf(MCP_SERVER, run.cwd)).toEqual([]);
    } finally {
      stopCommands(run.workspace);
    }
  });
});
