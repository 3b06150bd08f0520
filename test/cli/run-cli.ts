import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = path.join(repoRoot, 'bin', 'sop.js');
export const badFixturesDir = path.join(repoRoot, 'test', 'fixtures', 'bad');

const DROP_DAC_OVERRIDE = ['--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-dac_override,-dac_read_search'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `bin/sop.js` (built dist/) as a child process, the way a user does. */
export function sop(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; withoutDacOverride?: boolean; launch?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // A test that wants GitHub Actions' variables sets them: inherited ones (the suite run in a
    // workflow) would add annotations and step summaries to output the test compares.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_')));
    const env: Record<string, string | undefined> = { ...inherited, NODE_ENV: 'production', FORCE_COLOR: '0', ...options.env };
    // Vitest sets these; a user's shell does not.
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    // Root that honours file permissions (for permission tests): the same user, so it still reaches
    // the repository wherever it was cloned, without the capabilities that bypass them.
    // `launch` starts it another way a user does (`npx sop`, a `sop` on PATH) instead of `node bin/sop.js`.
    const [command, argv] = options.withoutDacOverride
      ? ['setpriv', [...DROP_DAC_OVERRIDE, '--', process.execPath, binPath, ...args]]
      : options.launch
        ? [options.launch[0]!, [...options.launch.slice(1), ...args]]
        : [process.execPath, [binPath, ...args]];
    const child = spawn(command, argv, { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const createdDirs: string[] = [];

/** A fresh folder under the OS temp dir; `removeTempDirs()` (in afterAll) deletes them. */
export function tempDir(prefix = 'sop-cli-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A Node stack frame line; no user-facing error may print one. */
export const STACK_LINE = /^\s+at /m;
