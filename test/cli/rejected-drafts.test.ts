import { afterAll, describe, expect, it } from 'vitest';
import { blogProject } from './human-gate-blog.js';
import { removeTempDirs, sop, STACK_LINE } from './run-cli.js';

/**
 * The blog SOP (test/cli/human-gate-blog.ts): an editor writes post.md behind a human gate, and the
 * person rejects it: the run stops at the gate with post.md a draft nobody accepted. An `expect` on its content, and a judge rubric of it, were
 * checked as if the run had produced it; they now fail saying which gate rejected it, unless the
 * case expects the rejection (then the rejected draft is what it is about).
 */
afterAll(removeTempDirs);

const REJECT = '{ role: editor, action: edit, gate: publish, human: { reject: "not this one" } }';
const REJECTED = 'is a draft human gate publish (editor edit) rejected, not a file the run accepted (expect the rejection, `gates: [{ gate: publish, outcomes: [..., failed] }]` or `status: gate_stopped`, to check the draft)';

describe('checks of a draft a human gate rejected', () => {
  it('sop test: fail naming the gate, unless the case expects the rejection', async () => {
    const test = `apiVersion: sop-test/v1
defaults:
  answers: [${REJECT}]
cases:
  - name: publishes
    inputs: { topic: rust }
    expect: { artifacts: [{ path: post.md, contains: rust }] }
  - name: stops at the gate
    inputs: { topic: rust }
    expect: { status: gate_stopped, artifacts: [{ path: post.md, contains: rust }] }
  - name: the gate rejects it
    inputs: { topic: rust }
    expect: { exit_code: 7, gates: [{ gate: publish, outcomes: [failed] }], artifacts: [{ path: post.md, contains: rust }] }
`;
    const dir = blogProject({ 'blog.test.yaml': test });
    const result = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stdout).toBe(16);
    expect(result.stdout).toContain(`expect.artifacts[0]: post.md: not checked: it ${REJECTED}`);
    expect(result.stdout).toContain('✓ stops at the gate');
    expect(result.stdout).toContain('✓ the gate rejects it');
    expect(result.stdout).toContain('2 passed, 1 failed');
  });

  it('sop eval: an artifact check and a judge rubric of the rejected draft fail the same way', async () => {
    const cases = `apiVersion: sop-eval/v1
cases:
  - name: publishes
    inputs: { topic: autumn }
    expect: { status: gate_stopped }
    judge: [{ rubric: Talks about autumn, of: post.md }]
  - name: checks the post
    inputs: { topic: autumn }
    expect: { artifacts: [{ path: post.md, contains: autumn }] }
    judge: [{ rubric: Talks about autumn, of: post.md }]
`;
    const dir = blogProject({ 'cases.yaml': cases, 'answers.yaml': `apiVersion: sop-script/v1\nanswers:\n  - ${REJECT}\n` });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--json'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    const runs = (JSON.parse(result.stdout) as { result: { runs: Array<{ case: string; passed: boolean; judges: unknown[]; failures: Array<{ path: string; message: string }> }> } }).result.runs;
    // Expecting the stop is expecting the rejection: the rubric judges the draft the person rejected.
    expect(runs.find((run) => run.case === 'publishes')).toMatchObject({ passed: true, judges: [{ of: 'post.md', passed: true }] });
    const checks = runs.find((run) => run.case === 'checks the post');
    expect(checks?.passed).toBe(false);
    expect(checks?.failures.find((failure) => failure.path === 'expect.artifacts[0]')?.message).toBe(`post.md: not checked: it ${REJECTED}`);
    expect(checks?.judges[0]).toMatchObject({ of: 'post.md', score: null, passed: false, reasons: [`not judged: post.md ${REJECTED}`] });
  });
});
