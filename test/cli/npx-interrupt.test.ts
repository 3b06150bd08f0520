import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from './run-cli.js';

/**
 * docs/ci.md: a job cancelled while `sop run` is in a step. A SIGTERM to the step's process group
 * ends the run as interrupted (130, state saved) whether `sop` was started as `npx sop` or as
 * `./node_modules/.bin/sop`; only the second exits 130 itself: npm is ended by the SIGTERM (a shell's 143).
 */

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: slow-step, version: 1.0.0 }
messages:
  Go: {}
  Done: {}
start:
  - { type: Go, content: go }
roles:
  worker:
    profile: Worker
    watch: [Go]
    actions:
      - id: wait
        run: { command: [node, -e, "setTimeout(() => {}, 60000)"], timeout: 120 }
        output: { type: Done }
stop_when: { type: Done }
`;

let project: string;

beforeAll(() => {
  project = tempDir('sop-npx-interrupt-');
  // A project that installed sop-runner: its bin linked in node_modules/.bin, as npm links it.
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(repoRoot, path.join(project, 'node_modules', 'sop-runner'));
  symlinkSync('../sop-runner/bin/sop.js', path.join(project, 'node_modules', '.bin', 'sop'));
  writeFileSync(path.join(project, 'package.json'), '{ "name": "ci-project", "private": true, "devDependencies": { "sop-runner": "*" } }\n');
  writeFileSync(path.join(project, 'sop.yaml'), SOP);
});

/** Starts `command` in a process group of its own, waits for the run to start, then sends SIGTERM to the group. */
function cancelled(command: string[], out: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; envelope: { exitCode: number; error: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, CI: 'true', FORCE_COLOR: '0', npm_config_yes: 'false', npm_config_update_notifier: 'false' };
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    for (const name of Object.keys(env)) if (name.startsWith('GITHUB_')) delete env[name];
    const child = spawn(command[0] as string, [...command.slice(1), 'run', 'sop.yaml', 'a release', '--ci', '--json', '--workspace', out], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The run has started (its workspace line), and its action's command soon after.
      if (!sent && stderr.includes('workspace: ')) {
        sent = true;
        setTimeout(() => process.kill(-(child.pid as number), 'SIGTERM'), 1500);
      }
    });
    const progress = setTimeout(() => {
      if (!sent) {
        sent = true;
        process.kill(-(child.pid as number), 'SIGTERM');
      }
    }, 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(progress);
      try {
        resolve({ code, signal, stderr, envelope: JSON.parse(stdout) });
      } catch (error) {
        reject(new Error(`stdout is not one JSON envelope: ${String(error)}\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}

describe('a SIGTERM to the step (a cancelled CI job)', () => {
  it('./node_modules/.bin/sop saves the run and exits 130; through npx the run ends the same but npm is ended by the signal (143)', async () => {
    const direct = await cancelled([path.join(project, 'node_modules', '.bin', 'sop')], 'direct');
    expect(direct.envelope, direct.stderr).toMatchObject({ exitCode: 130, error: { code: 'RUN_INTERRUPTED' } });
    expect(direct.code, direct.stderr).toBe(130);
    expect(direct.stderr).toContain('resume with: sop resume ');

    const npx = await cancelled(['npx', '--no-install', 'sop'], 'npx');
    expect(npx.envelope, npx.stderr).toMatchObject({ exitCode: 130, error: { code: 'RUN_INTERRUPTED' } });
    // npm is ended by the signal itself: a shell's `$?` is 143 (128 + 15).
    expect({ code: npx.code, signal: npx.signal }, npx.stderr).toEqual({ code: null, signal: 'SIGTERM' });
    expect(npx.stderr).toContain('resume with: npx sop resume ');
    const runs = readFileSync(path.join(project, '.sop', 'runs', npx.stderr.match(/resume with: npx sop resume (\S+)/)?.[1] as string, 'report.json'), 'utf8');
    expect(JSON.parse(runs)).toMatchObject({ status: 'interrupted', exitCode: 130 });
  }, 60_000);
});
