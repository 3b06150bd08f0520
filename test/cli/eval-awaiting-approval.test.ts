import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from './run-cli.js';
import { blogProject, blogSop } from './human-gate-blog.js';

/**
 * An SOP with a human gate, evaluated or tested as written: nobody is asked there, so every run
 * pauses, and each case failed with "status was awaiting_approval, expected completed" alone. The
 * failure now names the gate that waits and the two ways on: a scripted `human` answer (followed in a
 * test case, the run completes) or expecting the pause (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const WHY = '(human gate publish (editor edit) awaits a decision and no one is asked here: a scripted answer `{ role: editor, action: edit, human: approve }` decides it, or expect `status: awaiting_approval`)';
/** An eval case holds no answers: on a model no script answers, the ways an eval has. */
const WHY_EVAL = '(human gate publish (editor edit) awaits a decision and no one is asked here: a `--model script:FILE` whose answer `{ role: editor, action: edit, human: approve }` decides it, an input the case sets that turns the gate off (`human: { enabled: inputs.review }`, the case\'s `inputs: { review: false }`), or expect `status: awaiting_approval`)';

describe('a run paused at a human gate, in sop eval and sop test', () => {
  it('sop eval: the status failure names the gate waiting and how to decide it', async () => {
    const dir = blogProject({ 'cases.yaml': 'apiVersion: sop-eval/v1\ncases:\n  - name: rust\n    inputs: { topic: rust }\n' }, { artifact: false });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(`cases.yaml:3:5: expect.status: status was awaiting_approval, expected completed ${WHY_EVAL}`);

    // Followed: the gate turned off by an input the case sets, the run completes on the same model.
    const off = blogSop({ artifact: false })
      .replace('  topic: { description: what to write about }', '  topic: { description: what to write about }\n  review: { type: boolean, default: true }')
      .replace('human: { prompt: Publish this post? }', 'human: { prompt: Publish this post?, enabled: inputs.review }');
    writeFileSync(path.join(dir, 'blog.yaml'), off);
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: rust\n    inputs: { topic: rust, review: false }\n');
    const passed = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--threshold', '1'], { cwd: dir });
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/offline\s+1\/1\s+100\.0 %/);
  });

  it('sop eval on a script model: its human answers are the way, as in sop test', async () => {
    const dir = blogProject({
      'cases.yaml': 'apiVersion: sop-eval/v1\ncases:\n  - name: rust\n    inputs: { topic: rust }\n',
      'answers.yaml': 'apiVersion: sop-script/v1\nanswers:\n  - { role: editor, action: edit, output: "# Rust" }\n',
    }, { artifact: false });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(`cases.yaml:3:5: expect.status: status was awaiting_approval, expected completed ${WHY}`);
  });

  it('sop test: the same failure; the scripted answer it names, added to the case, completes the run', async () => {
    const test = 'apiVersion: sop-test/v1\ncases:\n  - name: publishes\n    inputs: { topic: rust }\n';
    const dir = blogProject({ 'blog.test.yaml': test }, { artifact: false });
    const failed = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(failed.code, failed.stdout).toBe(16);
    expect(failed.stderr).not.toMatch(STACK_LINE);
    expect(failed.stdout).toContain(`expect.status: status was awaiting_approval, expected completed ${WHY}`);

    writeFileSync(path.join(dir, 'blog.test.yaml'), `${test}    answers:\n      - { role: editor, action: edit, human: approve }\n`);
    const passed = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(passed.code, passed.stdout).toBe(0);
  });
});
