import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A paused run is described twice: the note `sop run` prints on stderr and the Markdown summary
 * (`sop report RUN --out FILE.md`, the GitHub step summary). Both name a decision's trigger message
 * under one rule: when another run of the same action waits at the same gate (they read alike
 * otherwise). The Markdown named it whenever two decisions waited, at different gates too.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: three-decisions, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Brief: { description: the brief }
  Plan: { description: the plan }
  Review: { description: the review }
start:
  - { type: Idea, content: "first {{ inputs.idea }}" }
  - { type: Idea, content: "second {{ inputs.idea }}" }
  - { type: Brief, content: "brief {{ inputs.idea }}" }
stop_when: { type: Plan }
roles:
  planner:
    profile: Planner
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: markdown }
        artifacts: [{ path: "plans/{{ message.id }}.md" }]
        gates: [{ name: approve-plan, human: { prompt: Approve the plan? } }]
  reviewer:
    profile: Reviewer
    watch: [Brief]
    actions:
      - id: review
        prompt: "Review {{ message.content }}"
        output: { type: Review, format: markdown }
        gates: [{ name: approve-review, human: { prompt: Send the review? } }]
`;

afterAll(removeTempDirs);

describe('a run awaiting decisions at two gates, one of them twice', () => {
  it('names the trigger message of the two runs at one gate, not of the third, in the stderr note and the Markdown summary alike; both show the same first lines of an output', async () => {
    const cwd = tempDir('sop-awaiting-named-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const run = await sop(['run', 'sop.yaml', 'todo', '--ci'], { cwd });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('awaiting approval: '))).toEqual([
      'awaiting approval: gate approve-plan (role planner, action plan, message m0001): Approve the plan?',
      'awaiting approval: gate approve-review (role reviewer, action review): Send the review?',
      'awaiting approval: gate approve-plan (role planner, action plan, message m0002): Approve the plan?',
    ]);
    const runId = /run record: \.sop\/runs\/(\S+)/.exec(run.stderr)?.[1] as string;
    const summary = await sop(['report', runId, '--out', 'summary.md'], { cwd });
    expect(summary.code, summary.stderr).toBe(0);
    const markdown = readFileSync(path.join(cwd, 'summary.md'), 'utf8');
    expect(markdown.split('\n').filter((line) => line.startsWith('- gate '))).toEqual([
      '- gate `approve-plan` of planner/plan (round 1, message m0001): Approve the plan?; review `plans/m0001.md`',
      '- gate `approve-review` of reviewer/review (round 1): Send the review?',
      '- gate `approve-plan` of planner/plan (round 1, message m0002): Approve the plan?; review `plans/m0002.md`',
    ]);

    // The review has no file to open: both show its first lines, cut at the same line.
    const noted = /review the Review it would publish:\n([\s\S]*?)\n {4}\.\.\. \(the whole output is in the run's report\.html\)/.exec(run.stderr)?.[1];
    const folded = /<summary>the Review it would publish<\/summary><pre>([\s\S]*?)\n\.\.\.<\/pre>/.exec(markdown)?.[1];
    expect(noted, run.stderr).toBeDefined();
    expect(folded, markdown).toBeDefined();
    const notedLines = (noted as string).split('\n').map((line) => line.replace(/^ {4}/, ''));
    expect(notedLines[0]).toBe('# Review: Review brief todo');
    expect(notedLines).toHaveLength(12);
    expect((folded as string).replace(/&gt;/g, '>').split('\n')).toEqual(notedLines);
  });

  it('names each file to review by its path from the current folder, where the reader opens it (it named the path within the workspace: plans/m0001.md)', async () => {
    const cwd = tempDir('sop-awaiting-files-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const run = await sop(['run', 'sop.yaml', 'todo', '--ci', '--workspace', 'out'], { cwd });
    expect(run.code, run.stderr).toBe(8);
    const files = run.stderr.split('\n').filter((line) => line.startsWith('  review: ')).map((line) => line.slice('  review: '.length));
    expect(files).toEqual(['out/plans/m0001.md', 'out/plans/m0002.md']);
    for (const file of files) expect(existsSync(path.join(cwd, file)), file).toBe(true);
  });
});
