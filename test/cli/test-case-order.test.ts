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

/** A writer whose command gate waits `inputs.ms` milliseconds: each case sets how long it takes. */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: waits, version: 1.0.0 }
inputs:
  ms: { type: integer, description: how long the gate waits }
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
            command: { command: [node, -e, "setTimeout(() => {}, Number(process.argv[1]))", "{{ inputs.ms }}"] }
stop_when: { type: Note }
`;

const TESTS = `apiVersion: sop-test/v1
cases:
  - name: a quick first case
    inputs: { ms: 0 }
  - name: a slow second case
    inputs: { ms: 2500 }
  - name: a quick third case
    inputs: { ms: 0 }
    expect: { status: stalled }
`;

/** `sop test` in `cwd`, each stdout line with the milliseconds since the start it arrived at. */
function timedTest(cwd: string): Promise<{ code: number | null; lines: Array<{ text: string; at: number }>; stdout: string; stderr: string; endedAt: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_') && name !== 'VITEST' && name !== 'VITEST_WORKER_ID'));
    const child = spawn(process.execPath, [binPath, 'test', 'waits.yaml'], { cwd, env: { ...env, NODE_ENV: 'production', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<{ text: string; at: number }> = [];
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const text of chunk.split('\n').filter((line) => line !== '')) lines.push({ text, at: Date.now() - started });
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stdout, stderr, endedAt: Date.now() - started }));
  });
}

describe('sop test prints the cases in the order the test file declares them', () => {
  it('a slow case is printed before the quick ones after it, and a quick one before it is printed at once', { timeout: 60_000 }, async () => {
    const dir = tempDir('sop-case-order-');
    writeFileSync(path.join(dir, 'waits.yaml'), SOP);
    writeFileSync(path.join(dir, 'waits.test.yaml'), TESTS);
    const result = await timedTest(dir);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stdout).toBe(16);
    const caseLines = result.lines.filter((line) => /^ {2}[✓✗↓] .* \(\d+ ms\)$/.test(line.text));
    expect(caseLines.map((line) => line.text.replace(/ \(\d+ ms\)$/, ''))).toEqual(['  ✓ a quick first case', '  ✓ a slow second case', '  ✗ a quick third case']);
    // Live: the first case did not wait for the slow one.
    const [first, slow] = caseLines as [{ at: number }, { at: number }];
    expect(slow.at - first.at).toBeGreaterThan(1500);
    // The summary is unchanged: the failure after the case lines, then the counts.
    expect(result.stdout).toMatch(/\n\nFAIL waits\.test\.yaml > a quick third case {2}\(waits\.test\.yaml:7:5\)\n/);
    expect(result.stdout).toMatch(/\n2 passed, 1 failed, 0 skipped \([\d.]+ s\)\n$/);
  });
});
