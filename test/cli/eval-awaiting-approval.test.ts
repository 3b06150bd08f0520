import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * An SOP with a human gate, evaluated or tested as written: nobody is asked there, so every run
 * pauses, and each case failed with "status was awaiting_approval, expected completed" alone. The
 * failure now names the gate that waits and the two ways on: a scripted `human` answer (followed in a
 * test case, the run completes) or expecting the pause (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
inputs:
  topic: { description: what to write about }
messages:
  Topic: { description: the topic }
  Post: { description: the post }
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
roles:
  editor:
    profile: Editor
    watch: [Topic]
    actions:
      - id: edit
        prompt: "Write a post about {{ message.content }}."
        output: { type: Post, format: markdown }
        gates:
          - { name: publish, human: { prompt: Publish this post? } }
stop_when: { type: Post }
`;

const WHY = '(human gate publish (editor edit) awaits a decision and no one is asked here: a scripted answer `{ role: editor, action: edit, human: approve }` decides it, or expect `status: awaiting_approval`)';

function project(files: Record<string, string>): string {
  const dir = tempDir('sop-awaiting-');
  writeFileSync(path.join(dir, 'blog.yaml'), SOP);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('a run paused at a human gate, in sop eval and sop test', () => {
  it('sop eval: the status failure names the gate waiting and how to decide it', async () => {
    const dir = project({ 'cases.yaml': 'apiVersion: sop-eval/v1\ncases:\n  - name: rust\n    inputs: { topic: rust }\n' });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(`cases.yaml:3:5: expect.status: status was awaiting_approval, expected completed ${WHY}`);
  });

  it('sop test: the same failure; the scripted answer it names, added to the case, completes the run', async () => {
    const test = 'apiVersion: sop-test/v1\ncases:\n  - name: publishes\n    inputs: { topic: rust }\n';
    const dir = project({ 'blog.test.yaml': test });
    const failed = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(failed.code, failed.stdout).toBe(16);
    expect(failed.stderr).not.toMatch(STACK_LINE);
    expect(failed.stdout).toContain(`expect.status: status was awaiting_approval, expected completed ${WHY}`);

    writeFileSync(path.join(dir, 'blog.test.yaml'), `${test}    answers:\n      - { role: editor, action: edit, human: approve }\n`);
    const passed = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(passed.code, passed.stdout).toBe(0);
  });
});
