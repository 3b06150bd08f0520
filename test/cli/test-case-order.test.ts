import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop test` runs a file's cases at once, but prints their lines in the order the file declares
 * them (they came in the order they finished, so two runs of one file read differently): each line
 * as soon as every case before it has printed, so the output stays live; the summary is unchanged.
 */
afterAll(removeTempDirs);

/** A writer whose command gate waits until the file `inputs.wait_for` exists (none: no wait), so a case ends when the test says. */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: waits, version: 1.0.0 }
inputs:
  wait_for: { type: string, default: "", description: a file the gate waits for }
messages:
  Topic: { description: the topic }
  Note: { description: a note }
start: [{ type: Topic, content: "wait" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_note
        prompt: "Write a note on {{ message.content }}."
        output: { type: Note, format: markdown }
        gates:
          - name: waited
            command: { command: [node, -e, "const f = process.argv[1]; const t = setInterval(() => (!f || require('fs').existsSync(f)) && clearInterval(t), 20)", "{{ inputs.wait_for }}"] }
stop_when: { type: Note }
`;

/** The second case waits for the file `go` (an absolute path: each case has a workspace of its own). */
const tests = (go: string): string => `apiVersion: sop-test/v1
cases:
  - name: a quick first case
  - name: a slow second case
    inputs: { wait_for: ${JSON.stringify(go)} }
  - name: a quick third case
    expect: { status: stalled }
`;

/**
 * `sop test` in `cwd`, its stdout lines in the order they came; `go` is created once `release`
 * matches a line (the slow case ends only then: a runner that held the first line back until the
 * slow case ended would never create it, and the test times out).
 */
function liveTest(cwd: string, go: string, release: RegExp): Promise<{ code: number | null; lines: string[]; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_') && name !== 'VITEST' && name !== 'VITEST_WORKER_ID'));
    const child = spawn(process.execPath, [binPath, 'test', 'waits.yaml'], { cwd, env: { ...env, NODE_ENV: 'production', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const text of chunk.split('\n').filter((line) => line !== '')) {
        lines.push(text);
        if (release.test(text)) writeFileSync(go, '');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stdout, stderr }));
  });
}

describe('sop test prints the cases in the order the test file declares them', () => {
  it('a slow case is printed before the quick ones after it, and a quick one before it is printed at once', { timeout: 60_000 }, async () => {
    const dir = tempDir('sop-case-order-');
    writeFileSync(path.join(dir, 'waits.yaml'), SOP);
    const go = path.join(dir, 'GO');
    writeFileSync(path.join(dir, 'waits.test.yaml'), tests(go));
    const result = await liveTest(dir, go, /a quick first case/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stdout).toBe(16);
    // Live: the first case's line came while the slow case still waited (it ends only after that line).
    const caseLines = result.lines.filter((line) => /^ {2}[✓✗↓] .* \(\d+ ms\)$/.test(line));
    expect(caseLines.map((line) => line.replace(/ \(\d+ ms\)$/, ''))).toEqual(['  ✓ a quick first case', '  ✓ a slow second case', '  ✗ a quick third case']);
    // The summary is unchanged: the failure after the case lines, then the counts.
    expect(result.stdout).toMatch(/\n\nFAIL waits\.test\.yaml > a quick third case {2}\(waits\.test\.yaml:6:5\)\n/);
    expect(result.stdout).toMatch(/\n2 passed, 1 failed, 0 skipped \([\d.]+ s\)\n$/);
  });
});
