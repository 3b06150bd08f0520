import { describe, expect, it } from 'vitest';
import { formatEvalJunit } from '../../src/eval/eval-junit.js';
import { summarize, type CaseRun, type EvalResult } from '../../src/eval/results.js';
import { junitSchemaErrors } from '../reporting/junit-schema.js';

function run(fields: Partial<CaseRun> & Pick<CaseRun, 'case' | 'model'>): CaseRun {
  return { repeat: 1, passed: true, score: 1, judges: [], failures: [], costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 1, cachedCalls: 0, latencyMs: 1500, runId: 'r1', status: 'completed', exitCode: 0, ...fields };
}

describe('the JUnit report of an eval', () => {
  it('is a suite per model, a case per case and repeat, failures saying what did not hold, skipped cases skipped; valid against the Surefire schema', async () => {
    const runs = [
      run({ case: 'a <b>', model: 'm1' }),
      run({ case: 'a <b>', model: 'm1', repeat: 2, passed: false, failures: [{ path: 'expect.status', message: 'status was failed, expected completed', location: 'cases.yaml:4:15', sopLocation: 'my.yaml:3:5' }] }),
      run({ case: 'later', model: 'm1', skipped: 'not yet' }),
      run({ case: 'later', model: 'm1', repeat: 2, skipped: 'not yet' }),
      run({ case: 'a <b>', model: 'm2' }),
      run({ case: 'a <b>', model: 'm2', repeat: 2 }),
      run({ case: 'later', model: 'm2', skipped: 'not yet' }),
      run({ case: 'later', model: 'm2', repeat: 2, skipped: 'not yet' }),
    ];
    const result: EvalResult = { schemaVersion: 1, evalId: 'e', evalDir: '/e', sop: { file: 'my.yaml', name: 'my' }, dataset: 'cases.yaml', models: ['m1', 'm2'], repeat: 2, runs, summary: summarize(runs, ['m1', 'm2']), belowThreshold: [] };
    const xml = formatEvalJunit(result);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<testsuites name="sop eval my" tests="8" failures="1" errors="0"');
    expect(xml).toContain('<testsuite name="m1" tests="4" failures="1" errors="0" skipped="2"');
    expect(xml).toContain('<testcase classname="m1" name="a &lt;b&gt; #2" time="1.500">');
    expect(xml).toContain('cases.yaml:4:15: expect.status: status was failed, expected completed (SOP: my.yaml:3:5)');
    expect(xml).toContain('<skipped message="not yet"/>');
  });
});
