import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from './run-cli.js';
import { blogProject } from './human-gate-blog.js';

/**
 * A newcomer's SOP: an editor writes post.md behind a human gate. In `sop eval` (and `sop test`)
 * nobody is asked there, so the run pauses with post.md a draft nobody approved; an `expect` on its
 * content and a judge rubric of it passed anyway, the judge on the offline model with score 10. Such
 * checks now fail saying the file is a draft awaiting approval, unless the case expects the pause
 * (then the draft is what the case is about).
 */
afterAll(removeTempDirs);

const DRAFT = 'is a draft awaiting approval at human gate publish (editor edit), not a file the run accepted (expect `status: awaiting_approval` to check the draft)';

interface JudgeJson { of: string; score: number | null; passed: boolean; reasons: string[] }
interface RunJson { case: string; passed: boolean; judges: JudgeJson[]; failures: Array<{ path: string; message: string }> }

const CASES = `apiVersion: sop-eval/v1
cases:
  - name: publishes
    inputs: { topic: autumn }
    expect: { artifacts: [{ path: post.md, contains: autumn }] }
    judge: [{ rubric: Talks about autumn, of: post.md }]
  - name: drafts
    inputs: { topic: spring }
    expect: { status: awaiting_approval, artifacts: [{ path: post.md, contains: spring }] }
    judge: [{ rubric: Talks about spring, of: post.md }]
`;

describe('sop eval: checks of a draft awaiting approval', () => {
  it('fail, saying the file awaits approval at the gate, unless the case expects the pause', async () => {
    const dir = blogProject({ 'cases.yaml': CASES });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--json'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    const runs = (JSON.parse(result.stdout) as { result: { runs: RunJson[] } }).result.runs;
    const publishes = runs.find((run) => run.case === 'publishes') as RunJson;
    expect(publishes.passed).toBe(false);
    expect(publishes.failures.find((failure) => failure.path === 'expect.artifacts[0]')?.message).toBe(`post.md: not checked: it ${DRAFT}`);
    expect(publishes.judges[0]).toMatchObject({ of: 'post.md', score: null, passed: false, reasons: [`not judged: post.md ${DRAFT}`] });

    // The case expects the run to stop at the gate: the draft that awaits the decision is checked and judged.
    const drafts = runs.find((run) => run.case === 'drafts') as RunJson;
    expect(drafts.failures).toEqual([]);
    expect(drafts.passed).toBe(true);
    expect(drafts.judges[0]).toMatchObject({ of: 'post.md', score: 10, passed: true });
  });

  it('sop test: an artifact check of the draft fails the same way', async () => {
    const test = 'apiVersion: sop-test/v1\ncases:\n  - name: publishes\n    inputs: { topic: rust }\n    expect: { artifacts: [{ path: post.md, contains: rust }] }\n';
    const dir = blogProject({ 'blog.test.yaml': test });
    const result = await sop(['test', 'blog.yaml'], { cwd: dir });
    expect(result.code, result.stdout).toBe(16);
    expect(result.stdout).toContain(`expect.artifacts[0]: post.md: not checked: it ${DRAFT}`);
  });
});

describe('sop eval: a rubric of a message type whose output awaits approval', () => {
  it('finds nothing to judge, naming the gate and action it waits on and the file to judge', async () => {
    const cases = 'apiVersion: sop-eval/v1\ncases:\n  - name: publishes\n    inputs: { topic: autumn }\n    judge: [{ rubric: Talks about autumn, of: Post }]\n';
    const dir = blogProject({ 'cases.yaml': cases });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--json'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_LINE);
    const run = (JSON.parse(result.stdout) as { result: { runs: RunJson[] } }).result.runs[0] as RunJson;
    expect(run.judges[0]).toMatchObject({
      of: 'Post',
      score: null,
      passed: false,
      reasons: ['nothing to judge: no Post message was published (its output awaits approval at human gate publish (editor edit): judge its file, `of: post.md`, with `status: awaiting_approval` expected, to review the draft)'],
    });
  });
});
