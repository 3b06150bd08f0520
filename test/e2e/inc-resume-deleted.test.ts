import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { project } from './providers-helpers.js';
import { fakeFor, journalRecords, runDirOf, start, startSlowProxy, waitFor } from './resume-helpers.js';

afterAll(removeTempDirs);

/**
 * A `sop run --inc` killed (SIGKILL) after its cleaner removed a file of the project, then `sop
 * resume`d: its report lists that file as deleted, as an uninterrupted run's does. The inventory
 * taken when the run started was not recorded, so the resumed run listed no deletions. And the
 * file the killed round rewrote is `changed`: its write's event was lost with the round, and the
 * resume's rewrite found the run's own file there (`unchanged`).
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: inc-kill, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  idea: { type: string }
  inc: { type: boolean, default: false }
messages: { Topic: {}, Draft: {}, Cleaned: {}, Done: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Draft, format: markdown }, artifacts: [{ path: notes.md }] }
  cleaner:
    profile: Cleaner
    watch: [Draft]
    actions:
      - { id: clean, run: { command: ["rm", "-f", "old.txt", "docs/stale.md"] }, output: { type: Cleaned } }
  reviewer:
    profile: Reviewer
    watch: [Cleaned]
    actions:
      - { id: review, prompt: "Review the notes", output: { type: Done, format: markdown }, artifacts: [{ path: review.md }] }
stop_when: { type: Done }
`;

const MODEL = ['--model', 'openai:gpt-4o-mini'];

/** A project with an SOP and a workspace of four files, two of which the cleaner removes. */
function incProject(): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
  mkdirSync(path.join(cwd, 'ws', 'docs'), { recursive: true });
  for (const file of ['old.txt', 'keep.txt', 'docs/stale.md', 'notes.md']) writeFileSync(path.join(cwd, 'ws', file), `${file}\n`);
  return cwd;
}

const report = (runDir: string): any => JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));

describe('sop resume of a killed sop run --inc', () => {
  it('reports the same new, changed, unchanged and deleted files as an uninterrupted run', async (context) => {
    const server = await fakeFor(context);
    const args = ['run', 'sop.yaml', 'owls', '--inc', '--workspace', 'ws', ...MODEL];

    const whole = incProject();
    const uninterrupted = await start(whole, args, server.url).done;
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const expected = report(runDirOf(whole) as string).workspaceChanges;
    expect(expected).toEqual({ new: ['review.md'], changed: ['notes.md'], unchanged: [], deleted: ['docs/stale.md', 'old.txt'] });

    // The writer is answered, the reviewer's call is held: the run is killed in round 3, after the cleaner's removals.
    const slow = await startSlowProxy(server.url, 0);
    context.onTestFinished(() => slow.close());
    slow.answerAtMost = 1;
    const cwd = incProject();
    const running = start(cwd, args, slow.url);
    await waitFor(
      () => !existsSync(path.join(cwd, 'ws', 'old.txt')) && running.stderr().includes('cleaner clean'),
      () => `CLI stderr: ${running.stderr().slice(-2000) || '(nothing)'}`,
    );
    running.child.kill('SIGKILL');
    await running.done;
    const runDir = runDirOf(cwd) as string;
    expect(journalRecords(runDir).some((record) => record.type === 'workspace-files')).toBe(true);
    slow.answerAtMost = Number.POSITIVE_INFINITY;
    const resumed = await start(cwd, ['resume', path.basename(runDir)], slow.url).done;
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(report(runDir).workspaceChanges).toEqual(expected);
    expect(resumed.stderr).toContain('deleted: 2 files of the workspace gone since the run started\n  docs/stale.md\n  old.txt\n');
  });
});
