import { describe, expect, it } from 'vitest';
import { formatEvalReport, formatRunLine } from '../../src/cli/eval-output.js';
import type { EvalCase } from '../../src/eval/dataset.js';
import { compareWithBaseline, summarize, type CaseRun, type EvalResult } from '../../src/eval/results.js';
import { budgetShare, planJobs } from '../../src/eval/run-eval.js';

function evalCase(name: string): EvalCase {
  return { name, inputs: {}, expect: {}, judge: [], place: 'cases.yaml:1', format: 'yaml', locate: () => 'cases.yaml:1:3', at: () => undefined, origin: () => undefined };
}

function run(fields: Partial<CaseRun> & Pick<CaseRun, 'case' | 'model'>): CaseRun {
  return { repeat: 1, passed: true, score: 1, judges: [], failures: [], costUsd: 0.001, inputTokens: 100, outputTokens: 20, calls: 2, cachedCalls: 1, latencyMs: 200, runId: 'r', status: 'completed', exitCode: 0, ...fields };
}

describe('the plan of an eval', () => {
  it('runs each case on each model, each repeat, case by case', () => {
    const jobs = planJobs([evalCase('a'), evalCase('b')], ['m1', 'm2'], 2);
    expect(jobs.map((job) => `${job.case.name} ${job.model} #${job.repeat}`)).toEqual([
      'a m1 #1', 'a m1 #2', 'a m2 #1', 'a m2 #2', 'b m1 #1', 'b m1 #2', 'b m2 #1', 'b m2 #2',
    ]);
  });
});

describe('what sop eval prints', () => {
  it('a case × model table (passes of the repeats), the per-model summary, what failed and where, the baseline', () => {
    const runs = [
      run({ case: 'todo', model: 'm1' }),
      run({ case: 'todo', model: 'm1', repeat: 2, passed: false, status: 'gate_stopped', failures: [{ path: 'expect.status', message: 'status was gate_stopped, expected completed', expected: 'completed', actual: 'gate_stopped', location: 'cases.yaml:4:15', sopLocation: 'my.yaml:12:9' }] }),
      run({ case: 'todo', model: 'm2' }),
      run({ case: 'todo', model: 'm2', repeat: 2 }),
      run({ case: 'later', model: 'm1', skipped: 'x' }),
      run({ case: 'later', model: 'm1', repeat: 2, skipped: 'x' }),
      run({ case: 'later', model: 'm2', skipped: 'x' }),
      run({ case: 'later', model: 'm2', repeat: 2, skipped: 'x' }),
    ];
    const result: EvalResult = {
      schemaVersion: 1, evalId: 'e', evalDir: '/e', sop: { file: 'my.yaml', name: 'my' }, dataset: 'cases.yaml', models: ['m1', 'm2'], repeat: 2, runs,
      summary: summarize(runs, ['m1', 'm2']), belowThreshold: [],
      baseline: compareWithBaseline(runs, [run({ case: 'todo', model: 'm1' }), run({ case: 'todo', model: 'm1', repeat: 2 })], 'base.json'),
    };
    const text = formatEvalReport(result);
    expect(text).toContain(['case   m1    m2', 'todo   1/2   2/2', 'later  skip  skip'].join('\n'));
    expect(text).toMatch(/^m1 +1\/2 +50\.0 % +9\.5 % - 90\.5 % +\$0\.0020 +240 +4 \(2 cached\) +200 ms +200 ms$/m);
    expect(text).toContain('todo #2 on m1 (run r, gate_stopped):\n  cases.yaml:4:15: expect.status: status was gate_stopped, expected completed (SOP: my.yaml:12:9)');
    expect(text).toContain('against baseline base.json: 1 regression, 0 improvements, 0 unchanged, 1 new, 0 gone\n  regressed todo on m1: 100 % -> 50 %');
    expect(formatRunLine(runs[1] as CaseRun, 2, 8)).toBe('[2/8] todo #2 on m1: FAILED (1 check)');
    expect(formatRunLine(runs[4] as CaseRun, 5, 8)).toBe('[5/8] later on m1: skipped (x)');
  });
});

describe('the budget of each run under --max-cost', () => {
  it('shares what is neither spent nor promised among the free slots; nothing left is 0', () => {
    expect(budgetShare(1, 0, 0, 4)).toBe(0.25);
    // Three runs in flight hold 0.75; the last slot gets what is left.
    expect(budgetShare(1, 0, 0.75, 1)).toBe(0.25);
    expect(budgetShare(1, 0.5, 0.25, 2)).toBe(0.125);
    expect(budgetShare(1, 0.6, 0.4, 1)).toBe(0);
    expect(budgetShare(1, 1.2, 0, 4)).toBe(0);
  });

  it('never promises more than the limit, however the runs start and end', () => {
    const limit = 2;
    let spent = 0;
    let promised = 0;
    const inFlight: number[] = [];
    for (let step = 0; step < 50; step += 1) {
      if (inFlight.length < 4) {
        const share = budgetShare(limit, spent, promised, 4 - inFlight.length);
        if (share === 0) break;
        inFlight.push(share);
        promised += share;
      } else {
        // A run ends having spent 80 % of its share.
        const share = inFlight.shift() as number;
        promised -= share;
        spent += share * 0.8;
      }
      expect(spent + promised).toBeLessThanOrEqual(limit + 1e-9);
    }
  });
});
