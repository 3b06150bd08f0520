import { describe, expect, it } from 'vitest';
import { formatAnnotation, formatJunit, formatStepSummary, RunCollector } from '../../src/reporting/index.js';
import type { RunEvent, RunReport } from '../../src/runtime/index.js';
import { junitSchemaErrors } from './junit-schema.js';
import { allCases, parseJunit } from './parse-junit.js';

const time = '2026-01-01T00:00:00.000Z';
const at = (round: number, role: string, action: string, extra: Record<string, unknown> = {}) => ({ time, round, role, action, message: 'm0001', ...extra });

/** A run where a foreach item's command gate routes, and then an action fails after an invalid output. */
const EVENTS = [
  { type: 'run-start', time, runId: 'r1', sop: 'demo', version: '1.0.0', file: 'demo.yaml', workspace: 'ws', model: 'offline', offline: true, inputs: {} },
  { type: 'action-start', ...at(1, 'engineer', 'write_code') },
  { type: 'llm-call-end', ...at(1, 'engineer', 'write_code', { index: 0 }), purpose: 'action', model: 'offline', promptTokens: 1, completionTokens: 1, estimated: true, durationMs: 1200 },
  { type: 'command-end', ...at(1, 'engineer', 'write_code', { index: 0 }), exitCode: 1, passed: false, timedOut: false, durationMs: 250, gate: 'compiles' },
  { type: 'gate-failed', ...at(1, 'engineer', 'write_code', { index: 0 }), gate: 'compiles', onFail: 'route', feedback: 'error: x < y && "z"\u0007 is bad', attempt: 1 },
  { type: 'llm-call-end', ...at(1, 'engineer', 'write_code', { index: 1 }), purpose: 'action', model: 'offline', promptTokens: 1, completionTokens: 1, estimated: true, durationMs: 300 },
  { type: 'gate-passed', ...at(1, 'engineer', 'write_code', { index: 1 }), gate: 'compiles' },
  { type: 'action-end', ...at(1, 'engineer', 'write_code'), outcome: 'routed', durationMs: 1800 },
  { type: 'action-start', ...at(2, 'qa', 'review') },
  { type: 'output-invalid', ...at(2, 'qa', 'review'), attempt: 3, maxAttempts: 3, errors: ['/verdict: must be equal to one of the allowed values'], raw: '{}' },
  { type: 'action-end', ...at(2, 'qa', 'review'), outcome: 'failed', durationMs: 40 },
  { type: 'run-end', time, status: 'failed', exitCode: 9, rounds: 2, durationMs: 2100, error: { code: 'OUTPUT_INVALID', message: 'role qa, action review: the output is not a valid Review', hint: 'fix the prompt' } },
] as RunEvent[];

function collect(): RunCollector {
  const collector = new RunCollector();
  for (const event of EVENTS) collector.onEvent(event);
  return collector;
}

describe('formatJunit', () => {
  it('names foreach items and gate checks, times them, and carries the error, the invalid output and the routed feedback; the XML parses strictly and fits the JUnit schema', async () => {
    const collector = collect();
    const xml = formatJunit({
      sopName: 'demo <&>',
      roles: ['architect', 'engineer', 'qa'],
      actionRuns: collector.actionRuns,
      run: { status: 'failed', exitCode: 9, durationMs: 2100, error: collector.end?.error },
    });
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const junit = parseJunit(xml);
    expect(junit.attributes).toMatchObject({ name: 'demo <&>', tests: '7', failures: '4', time: '2.100' });
    expect(junit.suites.map((suite) => [suite.attributes['name'], suite.attributes['tests'], suite.attributes['failures']])).toEqual([
      ['architect', '0', '0'], ['engineer', '5', '2'], ['qa', '1', '1'], ['run', '1', '1'],
    ]);
    const cases = allCases(junit);
    expect(cases.map((test) => [test.name, test.time])).toEqual([
      // The action's own time: 1.8 s less its items' (1.2 + 0.3) and its gate's (0.25), each its own case.
      ['write_code', '0.050'],
      ['write_code #0', '1.200'],
      ['write_code #1', '0.300'],
      ['write_code #0 gate compiles', '0.250'],
      ['write_code #1 gate compiles', '0.000'],
      ['review', '0.040'],
      ['sop run demo <&>', '2.100'],
    ]);
    const byName = new Map(cases.map((test) => [test.name, test]));
    // A character XML cannot hold becomes U+FFFD; markup is escaped and reads back as written.
    expect(byName.get('write_code #0 gate compiles')?.failure).toEqual({ type: 'GATE_FAILED', message: 'gate compiles failed (on_fail: route)', text: 'error: x < y && "z"\uFFFD is bad' });
    expect(byName.get('write_code #0')?.failure?.message).toBe('gate compiles routed this item');
    expect(byName.get('write_code')?.failure).toBeUndefined();
    expect(byName.get('write_code')?.systemOut).toBe('routed: error: x < y && "z"\uFFFD is bad');
    expect(byName.get('review')?.failure).toEqual({
      type: 'OUTPUT_INVALID',
      message: 'role qa, action review: the output is not a valid Review',
      text: 'OUTPUT_INVALID: role qa, action review: the output is not a valid Review\nhint: fix the prompt\nlast invalid output:\n  /verdict: must be equal to one of the allowed values',
    });
    expect(byName.get('sop run demo <&>')?.failure).toMatchObject({ type: 'OUTPUT_INVALID', message: 'failed (exit 9)' });
  });

  it('a gate that failed and passed after a revision is a flaky pass; one that failed to the end is a failure with its reruns; names hold no round or attempt', async () => {
    const gate = (round: number, type: 'gate-passed' | 'gate-failed', extra: Record<string, unknown> = {}) => ({ type, ...at(round, 'engineer', 'fix_code'), gate: 'tests', ...extra });
    const collector = new RunCollector();
    for (const event of [
      { type: 'action-start', ...at(3, 'engineer', 'fix_code') },
      gate(3, 'gate-failed', { onFail: 'revise', feedback: 'FAILED test_add', attempt: 1 }),
      gate(3, 'gate-passed'),
      { type: 'action-end', ...at(3, 'engineer', 'fix_code'), outcome: 'published', durationMs: 10 },
      { type: 'action-start', ...at(5, 'engineer', 'fix_code') },
      gate(5, 'gate-failed', { onFail: 'revise', feedback: 'FAILED test_sub', attempt: 1 }),
      gate(5, 'gate-failed', { onFail: 'stop', feedback: 'FAILED test_sub again', attempt: 2 }),
      { type: 'action-end', ...at(5, 'engineer', 'fix_code'), outcome: 'gate-stopped', durationMs: 10 },
    ] as RunEvent[]) collector.onEvent(event);
    const xml = formatJunit({ sopName: 'demo', roles: ['engineer'], actionRuns: collector.actionRuns, run: { status: 'gate_stopped', exitCode: 7, durationMs: 30 } });
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const junit = parseJunit(xml);
    expect(junit.suites[0]?.attributes).toMatchObject({ name: 'engineer', tests: '4', failures: '2' });
    const byName = new Map(allCases(junit).map((test) => [test.name, test]));
    expect([...byName.keys()]).toEqual(['fix_code', 'fix_code gate tests', 'fix_code (run 2)', 'fix_code gate tests (run 2)', 'sop run demo']);
    const flaky = byName.get('fix_code gate tests');
    expect(flaky?.failure).toBeUndefined();
    expect(flaky?.flakyFailures).toEqual([{ type: 'GATE_FAILED', message: 'gate tests failed on attempt 1 (on_fail: revise)', text: 'FAILED test_add' }]);
    const failed = byName.get('fix_code gate tests (run 2)');
    expect(failed?.failure).toEqual({ type: 'GATE_FAILED', message: 'gate tests failed (on_fail: stop), after 2 attempts', text: 'FAILED test_sub again' });
    expect(failed?.rerunFailures).toEqual([{ type: 'GATE_FAILED', message: 'gate tests failed on attempt 1 (on_fail: revise)', text: 'FAILED test_sub' }]);
    expect(failed?.flakyFailures).toBeUndefined();
  });

  it('the schema check is real: it refuses a test case without a name and a rerun element without a type', async () => {
    const xml = formatJunit({ sopName: 'x', roles: [], actionRuns: [], run: { status: 'completed', exitCode: 0, durationMs: 0 } });
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect((await junitSchemaErrors(xml.replace(/ name="sop run x"/, ''))).join('\n')).toMatch(/testcase.*name.*required/);
    expect((await junitSchemaErrors(xml.replace('/>', '><flakyFailure message="m"/></testcase>'))).join('\n')).toMatch(/flakyFailure.*type.*required/);
  });

  it('a message attribute keeps its line breaks (as character references)', () => {
    const xml = formatJunit({ sopName: 'x', roles: [], actionRuns: [], run: { status: 'refused', exitCode: 12, durationMs: 0, error: { code: 'LOCK_DRIFT', message: 'a\nb' } } });
    expect(xml).toContain('message="refused (exit 12)"');
    expect(allCases(parseJunit(xml))[0]?.failure?.text).toBe('LOCK_DRIFT: a\nb');
  });
});

describe('GitHub output', () => {
  it('annotations escape %, line breaks, and : and , in properties', () => {
    expect(formatAnnotation('error', 'gate a, b: c', '100% wrong\nsecond line', { file: 'dir/sop.yaml', line: 3, column: 5 }))
      .toBe('::error file=dir/sop.yaml,line=3,col=5,title=gate a%2C b%3A c::100%25 wrong%0Asecond line');
    expect(formatAnnotation('warning', 't', 'm', { line: 3 })).toBe('::warning title=t::m');
  });

  it('annotations carry no control bytes: colour sequences and NUL, ESC, BEL, DEL are removed', () => {
    const feedback = '\u001b[31mFAILED\u001b[0m test\u0000_add\u0007\u001b\u007f\nnext';
    expect(formatAnnotation('error', 'gate \u001b[1mtests\u0000', feedback, { file: 'a\u0000.yaml', line: 2 }))
      .toBe('::error file=a.yaml,line=2,title=gate tests::FAILED test_add%0Anext');
  });

  it('the step summary has the status table, the error, a row per role (pipes escaped) and the artifacts', () => {
    const usage = { calls: 2, cachedCalls: 1, promptTokens: 100, completionTokens: 20, estimated: false, costUsd: 0.0123, costUnknown: false, retries: 0, reasks: 0 };
    const report = {
      runId: 'r1', sop: { name: 'demo', version: '1.0.0', file: 'demo.yaml', sha256: 'x' }, status: 'failed', exitCode: 9, rounds: 2,
      started: time, ended: time, durationMs: 2100, model: 'openai:gpt-4o-mini', models: {}, offline: false, workspace: '/w', messages: { total: 3, byType: {} },
      costUsd: 0.0123, costUnknown: false, usage: { total: usage, byRole: { engineer: usage }, byAction: {} }, budget: { investment: null, maxTokens: null },
      artifacts: [{ path: 'src/a|b.py', sha256: 'f'.repeat(64), bytes: 42 }], error: { code: 'OUTPUT_INVALID', message: 'bad | output' },
    } as RunReport;
    const summary = formatStepSummary(report, collect().actionRuns, ['engineer', 'qa']);
    expect(summary).toContain('### sop run: demo 1.0.0 ❌ failed\n');
    expect(summary).toContain('| failed | 9 | 2 | 2 (1 cached or replayed) | 120 | $0.01 | 2.1s |');
    expect(summary).toContain('**OUTPUT_INVALID**: bad \\| output');
    expect(summary).toContain('| engineer | 1 | 0 | 1 | 0 | 1 | 2 (1 cached or replayed) | 120 | $0.01 |');
    expect(summary).toContain('| qa | 1 | 1 | 0 | 0 | 0 | 0 | 0 | $0 |');
    expect(summary).toContain('| `src/a\\|b.py` | 42 | `ffffffffffff` |');
    // No artifacts: one line, not a fold that opens on nothing.
    const empty = formatStepSummary({ ...report, artifacts: [] }, collect().actionRuns, ['engineer', 'qa']);
    expect(empty).toContain('No artifacts written in <code>/w</code>.\n');
    expect(empty).not.toContain('<details>');
  });
});
