import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * An action with a human gate triggered by two messages of one round runs twice, and each run
 * awaits its own decision. The run stopped at the first, and `sop resume --approve` approved it
 * and stopped again at the second: one resume per message, and both runs shared one approval key.
 * The stop now lists both, and one resume decides both, each model call answered from the journal.
 */
const SOP = (react: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: two-plans, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Plan: { description: the plan }
start:
  - { type: Idea, content: "first {{ inputs.idea }}" }
  - { type: Idea, content: "second {{ inputs.idea }}" }
stop_when: { type: Plan }
roles:
  planner:
    profile: Planner
    watch: [Idea]${react}
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: markdown }
        artifacts: [{ path: "plans/{{ message.id }}.md" }]
        gates: [{ name: approve-plan, human: { prompt: Approve the plan? }, on_fail: { revise: 1 } }]
`;

afterAll(removeTempDirs);

async function stopAwaitingBoth(react: string): Promise<{ cwd: string; runId: string }> {
  const cwd = tempDir('sop-two-approvals-');
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP(react));
  const run = await sop(['run', 'sop.yaml', 'todo', '--ci'], { cwd });
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.code, run.stderr).toBe(8);
  // Both runs listed, told apart by their trigger message as their prompts are the same.
  expect(run.stderr).toContain('awaiting approval: gate approve-plan (role planner, action plan, message m0001): Approve the plan?');
  expect(run.stderr).toContain('awaiting approval: gate approve-plan (role planner, action plan, message m0002): Approve the plan?');
  expect(run.stderr).toContain('review the 2 outputs, then continue with');
  const runId = /run record: \.sop\/runs\/(\S+)/.exec(run.stderr)?.[1] as string;
  // The Markdown summary (a GitHub step summary, a PR comment) lists both too.
  const summary = await sop(['report', runId, '--out', 'summary.md'], { cwd });
  expect(summary.code, summary.stderr).toBe(0);
  const markdown = readFileSync(path.join(cwd, 'summary.md'), 'utf8');
  expect(markdown).toContain('**Awaiting approval** (2 decisions; the hint says how to give them):');
  expect(markdown).toContain('- gate `approve-plan` of planner/plan (round 1, message m0001): Approve the plan?; review `plans/m0001.md`\n');
  expect(markdown).toContain('- gate `approve-plan` of planner/plan (round 1, message m0002): Approve the plan?; review `plans/m0002.md`\n');
  return { cwd, runId };
}

describe('two runs of an action awaiting approval in one round', () => {
  for (const [mode, react] of [
    ['by_order', ''],
    ['react', '\n    react: { mode: react, max_react_loop: 1 }'],
  ] as const) {
    it(`(${mode}) are both listed at the stop, and one sop resume --approve approves both without paying a call twice`, async () => {
      const { cwd, runId } = await stopAwaitingBoth(react);
      const resumed = await sop(['resume', runId, '--approve', '--ci'], { cwd });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr.match(/gate approve-plan: approve \(given to sop resume\)/g)).toHaveLength(2);
      expect(resumed.stderr).not.toContain('asks for approval');
      expect(resumed.stderr).toContain('gates: plan/approve-plan 2/2 passed');
      // Every call the stopped run made is answered from the journal: none is made (or paid) again.
      const calls = /model calls: (\d+)/.exec(resumed.stderr)?.[1];
      expect(resumed.stderr).toContain(`; ${calls} answered calls from the journal`);
      expect(readdirSync(path.join(cwd, 'workspace', 'two-plans', 'plans')).sort()).toEqual(['m0001.md', 'm0002.md']);
    });
  }

  it('one sop resume --reject sends both back with the feedback; their revisions await approval together', async () => {
    const { cwd, runId } = await stopAwaitingBoth('');
    const rejected = await sop(['resume', runId, '--reject', 'shorter please', '--ci'], { cwd });
    expect(rejected.code, rejected.stderr).toBe(8);
    expect(rejected.stderr.match(/gate approve-plan: reject \(given to sop resume\)/g)).toHaveLength(2);
    expect(rejected.stderr.match(/^awaiting approval: /gm)).toHaveLength(2);
    const approved = await sop(['resume', runId, '--approve', '--ci'], { cwd });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toContain('messages: 4 (Idea 2, Plan 2)');
  });
});
