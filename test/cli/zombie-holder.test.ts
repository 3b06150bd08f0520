import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * A `sop run` killed with `kill -9` under a parent that never reaps it (a container whose PID 1 is
 * not an init, a supervisor shell that `exec`s): the process stays a zombie, which signal 0 still
 * finds. It holds no run: `sop runs` says crashed and `sop resume` continues it (it said RUN_LOCKED,
 * exit 13, for as long as the zombie stayed).
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');
const WAIT_MS = 60_000;

/** The state letter of a process in /proc (`Z`: exited, not reaped), undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

async function until(what: string, holds: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(process.platform === 'linux')('a run whose killed process is a zombie', () => {
  it('is crashed, not running, and sop resume continues it', { timeout: 120_000 }, async () => {
    const cwd = tempDir('sop-zombie-');
    cpSync(FIXTURE, cwd, { recursive: true });
    // The shell starts sop, prints its pid, then becomes `sleep`: sop's parent that never waits for it.
    const parent = spawn('sh', ['-c', `"${process.execPath}" "${binPath}" run slow.yaml "a note" >/dev/null 2>&1 & echo $!; exec sleep 120`], {
      cwd,
      env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      let printed = '';
      parent.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
      await until('the pid of sop run', () => /^\d+\n/.test(printed));
      const pid = Number(printed.trim());
      // Round 1 is committed and bob's command waits: kill the run there.
      await until('bob\'s command', () => existsSync(path.join(cwd, 'workspace', 'slow', 'started')));
      process.kill(pid, 'SIGKILL');
      await until('the killed run to be a zombie', () => processState(pid) === 'Z');
      // bob's shell outlives its killed parent: let it end.
      writeFileSync(path.join(cwd, 'workspace', 'slow', 'go'), '');

      const runs = await sop(['runs', '--json'], { cwd });
      expect(envelopeOf(runs)).toMatchObject({ ok: true, result: { runs: [{ status: 'crashed' }] } });
      const runId = readdirSync(path.join(cwd, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
      const resumed = await sop(['resume', runId], { cwd });
      expect(resumed.stderr).not.toContain('RUN_LOCKED');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(processState(pid)).toBe('Z');
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
