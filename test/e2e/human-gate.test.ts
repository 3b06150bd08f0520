import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, artifacts, expectNoSecret, lastRun, project, run, runRecords } from './providers-helpers.js';
import { readResumePoint } from '../../src/runtime/index.js';

/**
 * The software company's human gate (`--input review=true`) in CI: the run stops awaiting
 * approval (exit 8) with its state saved; `sop resume --approve` finishes it without making again
 * any model call the first process completed.
 */
const MODEL = 'openai:gpt-4o-mini';

afterAll(removeTempDirs);

describe('human gate in CI', () => {
  it('stops with exit 8 before code is written; resume --approve finishes without repeating calls', async () => {
    const openai = await startFakeOpenAI();
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url, SOP_NO_CACHE: '1' };
    try {
      // Reference: the same run without the review.
      const plain = project();
      const reference = await run(plain, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--workspace', 'out'], env);
      expect(reference.code, reference.stderr).toBe(0);
      const referenceCalls = openai.requests.length;

      const cwd = project();
      const before = openai.requests.length;
      const stopped = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', MODEL, '--workspace', 'out', '--input', 'review=true', '--ci'], env);
      expect(stopped.stderr).not.toMatch(STACK_LINE);
      expect(stopped.code, stopped.stderr).toBe(8);
      const { report } = lastRun(cwd);
      expect(report.status).toBe('awaiting_approval');
      expect(report.awaiting).toEqual([expect.objectContaining({ gate: 'approve-plan', role: 'project_manager', action: 'write_tasks', artifacts: ['docs/tasks.md'] })]);
      expect(stopped.stderr).toContain('awaiting approval: gate approve-plan (role project_manager, action write_tasks)');
      expect(stopped.stderr).toContain(`sop resume ${report.runId} --approve`);
      // Nothing was written past the plan.
      expect(Object.keys(artifacts(path.join(cwd, 'out'))).sort()).toEqual(['docs/prd.md', 'docs/system_design.md', 'docs/tasks.md']);
      const firstCalls = openai.requests.length - before;

      // Without a decision, CI cannot ask: a usage error naming the gate, nothing run.
      const undecided = await run(cwd, ['resume', report.runId], env);
      expect(undecided.code).toBe(2);
      expect(undecided.stderr).toContain('awaits approval of gate approve-plan (action write_tasks)');
      expect(undecided.stderr).toContain('--approve');

      const resumed = await run(cwd, ['resume', report.runId, '--approve'], env);
      expect(resumed.code, resumed.stderr).toBe(0);
      const finished = lastRun(cwd);
      expect(runRecords(cwd)).toHaveLength(1);
      expect(finished.report.status).toBe('completed');
      expect(finished.events.filter((event) => event.type === 'approval-decided')).toEqual([
        expect.objectContaining({ gate: 'approve-plan', decision: 'approve', by: 'resume' }),
      ]);
      // Every call made once: the first process's calls plus the resumed one's equal the plain run's.
      expect(firstCalls).toBeLessThan(referenceCalls);
      expect(openai.requests.length - before).toBe(referenceCalls);
      expect(finished.report.usage.total.calls).toBe(referenceCalls);
      expect(artifacts(path.join(cwd, 'out'))).toEqual(artifacts(path.join(plain, 'out')));
      expect(readResumePoint(finished.dir).checkpoint).not.toHaveProperty('awaiting');
      expectNoSecret(TEST_KEY, cwd, [stopped, undecided, resumed]);
    } finally {
      await openai.close();
    }
  });

  it('resume --reject, then resume --approve: the approval is for the revision awaiting it, the rejected output stays rejected', async () => {
    // A plan behind a human gate that may revise once; the script gives a different plan per attempt.
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), `apiVersion: sop/v1
kind: SOP
metadata: { name: reviewed-plan, version: 1.0.0 }
settings: { n_round: 4 }
messages:
  Idea: { description: the idea }
  Plan:
    schema: { type: object, required: [modules], properties: { modules: { type: array, items: { type: string } } } }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  planner:
    profile: Planner
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: json }
        artifacts: [{ path: plan.json }]
        gates: [{ name: approved, human: { prompt: Approve the plan? }, on_fail: { revise: 1 } }]
stop_when: { type: Plan }
`);
    writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1
answers:
  - { role: planner, action: plan, attempt: 1, output: { modules: [first_a, first_b] } }
  - { role: planner, action: plan, attempt: 2, output: { modules: [second] } }
`);
    const plan = (): unknown => JSON.parse(readFileSync(path.join(cwd, 'workspace', 'reviewed-plan', 'plan.json'), 'utf8'));
    const stopped = await run(cwd, ['run', 'sop.yaml', IDEA, '--model', 'script:answers.yaml'], {});
    expect(stopped.code, stopped.stderr).toBe(8);
    const { runId } = lastRun(cwd).report;
    expect(plan()).toEqual({ modules: ['first_a', 'first_b'] });

    const rejected = await run(cwd, ['resume', runId, '--reject', 'one module please'], {});
    expect(rejected.code, rejected.stderr).toBe(8);
    expect(plan()).toEqual({ modules: ['second'] });

    // The round runs again from its boundary: the first plan meets its journaled reject, the revision the approval.
    const approved = await run(cwd, ['resume', runId, '--approve'], {});
    expect(approved.code, approved.stderr).toBe(0);
    expect(plan()).toEqual({ modules: ['second'] });
    const finished = lastRun(cwd);
    expect(finished.report.status).toBe('completed');
    expect(finished.report.gates['plan/approved']).toMatchObject({ checks: 2, passed: 1, failed: 1 });
    const decided = finished.events.filter((event) => event.type === 'approval-decided').map((event) => event.decision);
    expect(decided.slice(-2)).toEqual(['reject', 'approve']);
    // A later resume of the completed run changes nothing.
    expect((await run(cwd, ['resume', runId, '--approve'], {})).code).not.toBe(0);
    expect(plan()).toEqual({ modules: ['second'] });
  });
});
