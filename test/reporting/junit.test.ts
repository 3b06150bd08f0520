import { describe, expect, it } from 'vitest';
import { formatAnnotation, formatJunit, formatStepSummary, RunCollector } from '../../src/reporting/index.js';
import type { RunEvent, RunReport } from '../../src/runtime/index.js';
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
  { type: 'output-invalid', ...at(2, 'qa', 'review'), attempt: 3, errors: ['/verdict: must be equal to one of the allowed values'], raw: '{}' },
  { type: 'action-end', ...at(2, 'qa', 'review'), outcome: 'failed', durationMs: 40 },
  { type: 'run-end', time, status: 'failed', exitCode: 9, rounds: 2, durationMs: 2100, error: { code: 'OUTPUT_INVALID', message: 'role qa, action review: the output is not a valid Review', hint: 'fix the prompt' } },
] as RunEvent[];

function collect(): RunCollector {
  const collector = new RunCollector();
  for (const event of EVENTS) collector.onEvent(event);
  return collector;
}

describe('formatJunit', () => {
  it('names foreach items and gate checks, times them, and carries the error, the invalid output and the routed feedback; the XML parses strictly', () => {
    const collector = collect();
    const xml = formatJunit({
      sopName: 'demo <&>',
      roles: ['architect', 'engineer', 'qa'],
      actionRuns: collector.actionRuns,
      run: { status: 'failed', exitCode: 9, durationMs: 2100, error: collector.end?.error },
    });
    const junit = parseJunit(xml);
    expect(junit.attributes).toMatchObject({ name: 'demo <&>', tests: '7', failures: '4', time: '2.100' });
    expect(junit.suites.map((suite) => [suite.attributes['name'], suite.attributes['tests'], suite.attributes['failures']])).toEqual([
      ['architect', '0', '0'], ['engineer', '5', '2'], ['qa', '1', '1'], ['run', '1', '1'],
    ]);
    const cases = allCases(junit);
    expect(cases.map((test) => [test.name, test.time])).toEqual([
      ['write_code (round 1)', '1.800'],
      ['write_code #1 (round 1)', '1.200'],
      ['write_code #2 (round 1)', '0.300'],
      ['write_code #1 gate compiles (round 1)', '0.250'],
      ['write_code #2 gate compiles (round 1)', '0.000'],
      ['review (round 2)', '0.040'],
      ['sop run demo <&>', '2.100'],
    ]);
    const byName = new Map(cases.map((test) => [test.name, test]));
    // A character XML cannot hold becomes U+FFFD; markup is escaped and reads back as written.
    expect(byName.get('write_code #1 gate compiles (round 1)')?.failure).toEqual({ type: 'gate-failed', message: 'gate compiles failed (on_fail: route)', text: 'error: x < y && "z"\uFFFD is bad' });
    expect(byName.get('write_code #1 (round 1)')?.failure?.message).toBe('gate compiles routed this item');
    expect(byName.get('write_code (round 1)')?.failure).toBeUndefined();
    expect(byName.get('write_code (round 1)')?.systemOut).toBe('routed: error: x < y && "z"\uFFFD is bad');
    expect(byName.get('review (round 2)')?.failure).toEqual({
      type: 'OUTPUT_INVALID',
      message: 'role qa, action review: the output is not a valid Review',
      text: 'OUTPUT_INVALID: role qa, action review: the output is not a valid Review\nhint: fix the prompt\nlast invalid output:\n  /verdict: must be equal to one of the allowed values',
    });
    expect(byName.get('sop run demo <&>')?.failure).toMatchObject({ type: 'OUTPUT_INVALID', message: 'failed (exit 9)' });
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
    expect(summary).toContain('| engineer | 1 | 0 | 1 | 1 | 2 (1 cached or replayed) | 120 | $0.01 |');
    expect(summary).toContain('| qa | 1 | 1 | 0 | 0 | 0 | 0 | $0 |');
    expect(summary).toContain('| `src/a\\|b.py` | 42 | `ffffffffffff` |');
  });
});
