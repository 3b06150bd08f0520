import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sop.js');

/**
 * `sop ARGS` on a real pseudo-terminal, as a user at a terminal runs it: util-linux `script`
 * (Debian's bsdutils, installed on every Debian system) gives it one. `args` is a shell command line
 * after `sop`; `env` is laid over this process's, less what marks a CI job or asks for no colour
 * (they turn the live status line off); undefined removes a variable. Returns what the terminal
 * showed, escapes included, and the exit code.
 */
export function sopOnTerminal(args: string, options: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ code: number | null; output: string }> {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: '0', SHELL: '/bin/sh', VITEST: undefined, VITEST_WORKER_ID: undefined, CI: undefined, GITHUB_ACTIONS: undefined, NO_COLOR: undefined, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `'${process.execPath}' '${binPath}' ${args}`, '/dev/null'], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
