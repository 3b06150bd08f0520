import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { artifacts, lastRun, project, run } from './providers-helpers.js';
import { FAN_OUT_SOP, journalLines, runDirOf, start, startSlowProxy, waitFor, writeSop } from './resume-helpers.js';

/**
 * `artifacts[].if` and `mode: append`: the fan-out SOP with a log both the writer (round 2, one
 * line per file) and the reviewer (round 3) append to, and no `beta` module written. A run killed
 * mid-round and resumed re-runs that round: its log must not hold an append twice.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];
const IDEA = 'a todo app';

const APPEND_SOP = FAN_OUT_SOP.replace(
  `          - path: "src/{{ item }}.py"
`,
  `          - path: "src/{{ item }}.py"
            if: item != 'beta'
          - path: log.md
            mode: append
            content: "wrote {{ item }}\\n"
`,
).replace(
  `          - path: "reviews/{{ message.payload.item }}.md"
`,
  `          - path: "reviews/{{ message.payload.item }}.md"
          - path: log.md
            mode: append
            content: "reviewed {{ message.payload.item }}\\n"
`,
);

const LOG = ['wrote alpha', 'wrote beta', 'wrote gamma', 'wrote delta', 'reviewed alpha', 'reviewed beta', 'reviewed gamma', 'reviewed delta'].map((line) => `${line}\n`).join('');

async function fake(context: TestContext): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI();
  context.onTestFinished(() => server.close());
  return server;
}

const workspace = (cwd: string): string => path.join(cwd, 'workspace', 'fan-out');

describe.concurrent('artifact if and mode: append', () => {
  it('an uninterrupted run: the log holds each append once, in order; the artifact whose `if` is false is not written', async (context) => {
    const server = await fake(context);
    const cwd = project();
    const result = await start(cwd, ['run', writeSop(cwd, APPEND_SOP), IDEA, ...MODEL], server.url).done;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(workspace(cwd), 'log.md'), 'utf8')).toBe(LOG);
    expect(existsSync(path.join(workspace(cwd), 'src', 'alpha.py'))).toBe(true);
    expect(existsSync(path.join(workspace(cwd), 'src', 'beta.py'))).toBe(false);
    // A second run in the same workspace starts the log anew instead of adding to the first run's.
    const again = await start(cwd, ['run', writeSop(cwd, APPEND_SOP), IDEA, ...MODEL], server.url).done;
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(workspace(cwd), 'log.md'), 'utf8')).toBe(LOG);
  });

  // 4 calls: mid-round 2, the log not yet in any completed round; 7 calls: mid-round 3, after
  // round 2's four appends were committed and two of round 3's were made.
  for (const calls of [4, 7]) {
    it(`SIGKILL after ${calls} calls, then sop resume: the same log and files as an uninterrupted run, no append doubled`, async (context) => {
      const server = await fake(context);
      const slow = await startSlowProxy(server.url, 60);
      context.onTestFinished(() => slow.close());
      const cwd = project();
      slow.answerAtMost = calls;
      const running = start(cwd, ['run', writeSop(cwd, APPEND_SOP), IDEA, ...MODEL], slow.url);
      await waitFor(
        () => journalLines(runDirOf(cwd)) >= calls,
        () => `${journalLines(runDirOf(cwd))} calls journaled; CLI stderr: ${running.stderr().slice(-2000) || '(nothing)'}`,
      );
      running.child.kill('SIGKILL');
      await running.done;
      slow.answerAtMost = Number.POSITIVE_INFINITY;
      const runId = path.basename(runDirOf(cwd) as string);
      const resumed = await start(cwd, ['resume', runId], slow.url).done;
      expect(resumed.stderr).not.toMatch(STACK_LINE);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(readFileSync(path.join(workspace(cwd), 'log.md'), 'utf8')).toBe(LOG);
      const files = artifacts(workspace(cwd));
      expect(Object.keys(files).sort()).toEqual(['log.md', 'reviews/alpha.md', 'reviews/beta.md', 'reviews/delta.md', 'reviews/gamma.md', 'src/alpha.py', 'src/delta.py', 'src/gamma.py', 'SUMMARY.md'].sort());
    });
  }
});

/** A writer whose first draft its gate rejects; the revision passes. Both drafts would go to the transcript. */
const REVISED_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: revised, version: 1.0.0 }
messages: { Topic: {}, Draft: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft }
        gates: [{ name: signed, contains: "-- W", on_fail: { revise: 2 } }]
        artifacts:
          - { path: transcript.md, mode: append, content: "{{ output }}\\n" }
          - { path: draft.md }
stop_when: { type: Draft }
`;

const REVISED_SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: writer, action: write, attempt: 1, output: "rejected draft" }
  - { role: writer, action: write, attempt: 2, output: "accepted draft -- W" }
`;

describe('mode: append with a gate that sends the output back', () => {
  it('the transcript gets the accepted output only, not each attempt; the message lists it with the other artifacts', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'revised.yaml'), REVISED_SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), REVISED_SCRIPT);
    const result = await run(cwd, ['run', 'revised.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'transcript.md'), 'utf8')).toBe('accepted draft -- W\n');
    expect(readFileSync(path.join(cwd, 'out', 'draft.md'), 'utf8')).toBe('accepted draft -- W');
    const draft = lastRun(cwd).events.find((event) => event.type === 'message-published' && event.message.type === 'Draft');
    expect(draft.message.payload.artifacts).toEqual(['draft.md', 'transcript.md']);
  });
});

/** A writer and an editor appending their outputs (2 MB each, more than a read's 1 MB chunk) to one transcript. */
const LARGE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: large-log, version: 1.0.0 }
messages: { Topic: {}, Draft: {}, Note: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft }
        artifacts: [{ path: transcript.md, mode: append, content: "{{ output }}\\n" }]
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output: { type: Note }
        artifacts: [{ path: transcript.md, mode: append, content: "{{ output }}\\n" }]
stop_when: { type: Note }
`;

const lines = (who: string): string => Array.from({ length: 40_000 }, (_, index) => `${who} line ${String(index).padStart(6, '0')} of the transcript, appended`).join('\n');

describe('mode: append to a large file', () => {
  it('a 4 MB transcript appended to twice holds both outputs in order; each write event has its sha256, the second the first as previousSha256', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'large.yaml'), LARGE_SOP);
    const block = (text: string): string => text.split('\n').map((line) => `      ${line}`).join('\n');
    writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - role: writer\n    action: write\n    output: |\n${block(lines('writer'))}\n  - role: editor\n    action: edit\n    output: |\n${block(lines('editor'))}\n`);
    const result = await run(cwd, ['run', 'large.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const transcript = readFileSync(path.join(cwd, 'out', 'transcript.md'));
    // Each output ends in the block scalar's line break, and the content template adds one.
    expect(transcript.toString('utf8')).toBe(`${lines('writer')}\n\n${lines('editor')}\n\n`);
    const writes = lastRun(cwd).events.filter((event) => event.type === 'artifact-written' && event.path === 'transcript.md');
    expect(writes.map((event) => event.action)).toEqual(['write', 'edit']);
    expect(writes[1].previousSha256).toBe(writes[0].sha256);
    expect(writes[1].bytes).toBe(transcript.length);
    expect(writes[1].sha256).toBe(createHash('sha256').update(transcript).digest('hex'));
  });
});
