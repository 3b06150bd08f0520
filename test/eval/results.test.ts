import { describe, expect, it } from 'vitest';
import { belowThreshold, compareWithBaseline, summarize, type CaseRun } from '../../src/eval/results.js';
import { percentile, wilsonInterval } from '../../src/eval/stats.js';

function run(fields: Partial<CaseRun> & Pick<CaseRun, 'case' | 'model'>): CaseRun {
  return { repeat: 1, passed: true, score: 1, judges: [], failures: [], costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0, cachedCalls: 0, latencyMs: 0, ...fields };
}

describe('the Wilson score interval', () => {
  it('matches published values', () => {
    // Wilson (1927); e.g. 15 of 20: 0.531 to 0.888 (95 %).
    const { low, high } = wilsonInterval(15, 20);
    expect(low).toBeCloseTo(0.5313, 3);
    expect(high).toBeCloseTo(0.8881, 3);
    const half = wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 3);
    expect(half.high).toBeCloseTo(0.7634, 3);
  });

  it('stays inside [0, 1] at rates of 0 and 1, and is the whole range without trials', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(10, 10).low).toBeCloseTo(0.7225, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('percentiles (nearest rank)', () => {
  it('is always one of the values', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile(Array.from({ length: 100 }, (_, index) => 100 - index), 95)).toBe(95);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('the per-model summary', () => {
  it('counts passes, leaves skipped cases out of the rate, sums cost and tokens', () => {
    const runs = [
      run({ case: 'a', model: 'm', costUsd: 0.25, inputTokens: 10, outputTokens: 5, calls: 2, cachedCalls: 1, latencyMs: 100 }),
      run({ case: 'b', model: 'm', passed: false, costUsd: 0.5, latencyMs: 300 }),
      run({ case: 'c', model: 'm', skipped: 'later' }),
      run({ case: 'a', model: 'other', latencyMs: 50 }),
    ];
    const [m, other, none] = summarize(runs, ['m', 'other', 'none']);
    expect(m).toMatchObject({ model: 'm', runs: 2, passed: 1, failed: 1, skipped: 1, passRate: 0.5, costUsd: 0.75, inputTokens: 10, outputTokens: 5, calls: 2, cachedCalls: 1, latencyMs: { p50: 100, p95: 300 } });
    expect(m?.interval).toEqual(wilsonInterval(1, 2));
    expect(other).toMatchObject({ runs: 1, passRate: 1 });
    expect(none).toMatchObject({ runs: 0, passRate: 0, latencyMs: { p50: null, p95: null } });
    expect(belowThreshold([m!, other!, none!], 0.9)).toEqual(['m']);
    expect(belowThreshold([m!], undefined)).toEqual([]);
  });
});

describe('the baseline comparison', () => {
  it('finds regressions and improvements per case and model, by share of repeats passed', () => {
    const baseline = [
      run({ case: 'a', model: 'm' }),
      run({ case: 'b', model: 'm', passed: false }),
      run({ case: 'c', model: 'm', repeat: 1 }),
      run({ case: 'c', model: 'm', repeat: 2, passed: false }),
      run({ case: 'gone', model: 'm' }),
      run({ case: 's', model: 'm', skipped: 'x' }),
    ];
    const now = [
      run({ case: 'a', model: 'm', passed: false }),
      run({ case: 'b', model: 'm' }),
      run({ case: 'c', model: 'm', repeat: 1 }),
      run({ case: 'c', model: 'm', repeat: 2 }),
      run({ case: 'a', model: 'new-model' }),
    ];
    expect(compareWithBaseline(now, baseline, 'base.json')).toEqual({
      file: 'base.json',
      regressions: [{ case: 'a', model: 'm', was: 1, now: 0 }],
      improvements: [
        { case: 'b', model: 'm', was: 0, now: 1 },
        { case: 'c', model: 'm', was: 0.5, now: 1 },
      ],
      unchanged: 0,
      added: 1,
      removed: 1,
    });
  });
});
