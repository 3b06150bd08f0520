import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { binPath, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A run interrupted (Ctrl-C) while a gate checks the writer's answer, then resumed: the resume
 * answers the writer's call from the journal, so `sop report` counts it once, as the run's summary does.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: gated, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Draft: { description: a draft }
  Review: { description: a review }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: draft
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
        gates:
          - name: waits
            command: { command: [sh, -c, "touch started; while [ ! -f go ]; do sleep 0.05; done"] }
  reviewer:
    profile: Reviewer
    watch: [Draft]
    actions:
      - id: review
        prompt: "Review {{ message.content }}"
        output: { type: Review, format: markdown }
stop_when: { type: Review }
`;

/** `sop run` stopped by SIGINT once the writer's gate command runs (its model call answered). */
async function interruptedRun(cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [binPath, 'run', 'gated.yaml', 'tides'], { cwd, env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const started = path.join(cwd, 'workspace', 'gated', 'started');
  for (const waitUntil = Date.now() + 30_000; !existsSync(started); ) {
    if (Date.now() > waitUntil) throw new Error(`the gate command never started; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGINT');
  return done;
}

describe('sop report of a resumed run', () => {
  it('counts a call the resume answered from the journal once: --json calls, the page\'s tables and the Markdown summary agree with the run', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-report-resumed-');
    writeFileSync(path.join(cwd, 'gated.yaml'), SOP);
    const stopped = await interruptedRun(cwd);
    expect(stopped.code, stopped.stderr).toBe(130);
    const runId = /^run (\S+):/m.exec(stopped.stderr)?.[1] as string;

    writeFileSync(path.join(cwd, 'workspace', 'gated', 'go'), '');
    const resumed = await sop(['resume', runId], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('1 answered call from the journal');
    expect(resumed.stderr).toContain('model calls: 2 ');

    const report = await sop(['report', runId, '--json'], { cwd });
    expect(report.code, report.stderr).toBe(0);
    expect(envelopeOf(report)).toMatchObject({ ok: true, result: { runId, status: 'completed', calls: 2 } });

    const html = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] as string);
    const writer = data.totals.byRole.find((row: { key: string }) => row.key === 'writer');
    const call = data.calls.find((one: { role: string; cached?: string }) => one.role === 'writer' && one.cached === undefined);
    expect(writer).toMatchObject({ calls: 1, promptTokens: call.promptTokens, completionTokens: call.completionTokens });
    // The timeline still shows the resume's answer, marked as taken from the journal.
    expect(data.calls.filter((one: { role: string }) => one.role === 'writer').map((one: { cached?: string }) => one.cached ?? null)).toEqual([null, 'resumed']);

    const markdown = await sop(['report', runId, '--out', 'summary.md'], { cwd });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toMatch(/\| completed \| 0 \| 2 \| 2 \|/);
  });
});
