import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * Ctrl-C while a human gate asks its question on a terminal. The terminal is a real pseudo-terminal
 * made by util-linux `script`, which passes what the test writes to it on as keystrokes: `\x03` is
 * the Ctrl-C the terminal turns into SIGINT for `sop`.
 */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

// One action whose output a human gate asks about.
const SOP = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'utf8');

interface TerminalRun {
  code: number | null;
  output: string;
  /** Milliseconds from the Ctrl-C to the end of `sop`. */
  afterCtrlC: number;
}

/** `sop run` on a terminal: Ctrl-C once the question is asked, the terminal kept open (nobody answers). */
function runOnTerminalAndCtrlC(cwd: string): Promise<TerminalRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', SHELL: '/bin/sh' };
    for (const name of ['CI', 'GITHUB_ACTIONS', 'VITEST', 'VITEST_WORKER_ID']) delete env[name];
    const command = `'${process.execPath}' '${binPath}' run sop.yaml hi`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let ctrlCAt: number | undefined;
    // Without the fix nobody would end the question: give up after a while, closing the terminal.
    const giveUp = setTimeout(() => child.stdin.end(), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (ctrlCAt === undefined && output.includes('[e]dit?')) {
        ctrlCAt = Date.now();
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(giveUp);
      resolve({ code, output, afterCtrlC: ctrlCAt === undefined ? Number.NaN : Date.now() - ctrlCAt });
    });
  });
}

afterAll(() => removeTempDirs());

describe.skipIf(!hasScript)('Ctrl-C at a human gate question on a terminal', () => {
  it('stops the run at once as interrupted (exit 130, resumable), without waiting for an answer', async () => {
    const dir = tempDir('sop-approval-ctrlc-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    const run = await runOnTerminalAndCtrlC(dir);
    expect(run.output).toContain('Ship it?');
    expect(run.output).toContain('interrupting:');
    expect(run.afterCtrlC).toBeLessThan(8_000);
    expect(run.code).toBe(130);
    expect(run.output).toContain('status: interrupted');
    const runs = await sop(['runs'], { cwd: dir });
    expect(runs.stdout).toMatch(/ask\s+interrupted\s/);
  }, 40_000);
});
