import { readFileSync } from 'node:fs';
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
});
