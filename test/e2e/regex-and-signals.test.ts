import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { readRunEvents } from '../../src/store/index.js';

/** Item 9: no regular expression can hang a run, and SIGTERM stops a run that waits on a long gate. */
afterAll(removeTempDirs);

const header = `apiVersion: sop/v1
kind: SOP
metadata: { name: bounded, version: 1.0.0 }
messages:
  Idea: {}
  Result: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Result }
roles:
  worker:
    profile: Worker
    watch: [Idea]
    actions:
      - id: produce
        run:
          command: [node, -e, "process.stdout.write('a'.repeat(64))"]
          timeout: 60
        output: { type: Result }
        gates:
`;

function events(cwd: string): Array<Record<string, unknown>> {
  const runs = path.join(cwd, '.sop', 'runs');
  const run = existsSync(runs) ? readdirSync(runs).find((name) => !name.startsWith('.')) : undefined;
  return run === undefined ? [] : readRunEvents(path.join(runs, run));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('regular expressions and signals in a real run', () => {
  // JavaScript's backtracking RegExp took minutes on this gate; the test timeout is only a hang guard.
  it('a gate `matches: "(a+)+Z"` on a 64-character answer fails at once; the next gate decides', { timeout: 120_000 }, async () => {
    const cwd = tempDir('sop-regex-');
    writeFileSync(path.join(cwd, 'sop.yaml'), `${header}          - { name: catastrophic, matches: "(a+)+Z", on_fail: warn }
          - { name: sixty-four, matches: "a{64}" }
`);
    const result = await sop(['run', 'sop.yaml', 'go'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const gates = events(cwd).filter((event) => event['type'] === 'gate-failed' || event['type'] === 'gate-passed');
    expect(gates.map((event) => `${event['gate']}:${event['type']}`)).toEqual(['catastrophic:gate-failed', 'sixty-four:gate-passed']);
  });

  it('SIGTERM while a command gate runs stops the run (exit 130) without waiting for the gate', { timeout: 120_000 }, async () => {
    const cwd = tempDir('sop-sigterm-');
    // The gate marks that it started (in the workspace, its working folder), then would run for 10
    // minutes: only the interrupt can end this run before the hang guard.
    writeFileSync(path.join(cwd, 'sop.yaml'), `${header}          - name: slow
            command: { command: [node, -e, "require('fs').writeFileSync('gate-started', ''); setTimeout(() => {}, 600000)"], timeout: 900 }
`);
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' };
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    const child = spawn(process.execPath, [binPath, 'run', 'sop.yaml', 'go'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let code: number | null;
    try {
      await until(() => existsSync(path.join(cwd, 'workspace', 'bounded', 'gate-started')), 'the gate command to start');
      child.kill('SIGTERM');
      code = await exited;
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code, stderr).toBe(130);
    // A CI timeout has no keyboard: the note does not ask for a second Ctrl-C.
    expect(stderr).toContain('runs their round again (a second signal quits now)');
    expect(stderr).not.toContain('Ctrl-C');
    expect(events(cwd).at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted' });
  });
});
