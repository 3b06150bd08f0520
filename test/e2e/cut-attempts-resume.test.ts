import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { firstRequests } from '../support/fake-llm/faults.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { FAST_RETRIES, project } from './providers-helpers.js';
import { journalLines, journalRecords, runDirOf, start, waitFor } from './resume-helpers.js';

/**
 * A reply cut off mid-stream is paid (see cut-stream-usage.test.ts). When the process is killed
 * before the round that paid it ends, the resume replays the answer that came after the cut from
 * the journal, and must count the cut attempt and the retry again too: else the resumed run's
 * usage, cost and budget forget money the run spent.
 */
afterAll(removeTempDirs);

// Round 1: the writer's call (cut once, then answered) and a command that waits for the file `go`
// in the workspace, so a kill lands after the answer and before the round ends.
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: cut-resume, version: 0.1.0 }
messages:
  Idea: {}
  Note: {}
  Waited: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Note }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}"
        output: { type: Note, format: markdown }
  waiter:
    profile: Waiter
    watch: [Idea]
    actions:
      - id: wait
        run: { command: [sh, -c, "while [ ! -f go ]; do sleep 0.05; done"] }
        output: { type: Waited }
`;

const CONFIG = `providers:\n  openai: { max_retries: 2, ${FAST_RETRIES} }\n`;
const MODEL = ['--model', 'openai:gpt-4o-mini'];

describe('kill -9 after a cut reply was retried and answered, before the round ended', () => {
  it('the resume asks the provider nothing again and counts the cut attempt and the retry as the uninterrupted run does', async (context) => {
    // The same run, not killed: what the record must say.
    const reference = await startFakeOpenAI({ faults: firstRequests({ kind: 'truncate' }) });
    context.onTestFinished(() => reference.close());
    const whole = project(CONFIG);
    writeFileSync(path.join(whole, 'sop.yaml'), SOP);
    writeFileSync(path.join(mkWorkspace(whole), 'go'), '');
    const uninterrupted = await start(whole, ['run', 'sop.yaml', 'tides', ...MODEL, '--json'], reference.url).done;
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const expected = resultOf(uninterrupted);
    expect(expected.usage.total).toMatchObject({ calls: 1, retries: 1 });

    const server = await startFakeOpenAI({ faults: firstRequests({ kind: 'truncate' }) });
    context.onTestFinished(() => server.close());
    const cwd = project(CONFIG);
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const running = start(cwd, ['run', 'sop.yaml', 'tides', ...MODEL], server.url);
    context.onTestFinished(() => void running.child.kill('SIGKILL'));
    await waitFor(() => journalLines(runDirOf(cwd)) === 1, () => `no answer journaled; stderr: ${running.stderr()}`);
    running.child.kill('SIGKILL');
    expect((await running.done).code).toBe(-1);
    const runDir = runDirOf(cwd) as string;
    // The round did not end: the cut's event and the round's usage were not written.
    expect(journalRecords(runDir).filter((line) => line.type === 'round-commit' || line.type === 'llm-call-cut')).toEqual([]);
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);

    writeFileSync(path.join(mkWorkspace(cwd), 'go'), '');
    const resumed = await start(cwd, ['resume', path.basename(runDir), '--json'], server.url).done;
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    // The answer came from the journal: the provider was asked twice in all (the cut try and its retry).
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);
    const report = resultOf(resumed);
    expect(report.usage.total).toEqual(expected.usage.total);
    expect(report.usage.byAction.write).toEqual(expected.usage.byAction.write);
    expect(report.costUsd).toBeCloseTo(expected.costUsd, 12);
    // More than the answer alone: the cut attempt is in it.
    const [answer] = journalRecords(runDir).filter((line) => line.type === 'call-answered') as Array<{ promptTokens: number; completionTokens: number }>;
    expect(report.usage.total.completionTokens).toBeGreaterThan((answer as { completionTokens: number }).completionTokens);
  });
});

/** The SOP's workspace (`workspace/<name>`), made when missing. */
function mkWorkspace(cwd: string): string {
  const folder = path.join(cwd, 'workspace', 'cut-resume');
  mkdirSync(folder, { recursive: true });
  return folder;
}
