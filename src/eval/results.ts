/**
 * What an eval found (`EvalResult`, the `--json` result and the results file), and the pure
 * functions that sum it up: per model pass rate with its Wilson interval, cost, tokens and
 * latency percentiles; the comparison with a baseline results file.
 */

import { percentile, wilsonInterval, type Interval } from './stats.js';

/** One expectation or judge rubric that did not hold. */
export interface Failure {
  /** `expect.messages[1]`, `judge[0]`. */
  path: string;
  message: string;
  expected?: string;
  actual?: string;
  /**
   * Where the dataset writes what failed (`file:line:col`): the expectation's field, the judge
   * rubric, the case's inputs. Absent from the results of evals made before it was kept.
   */
  location?: string;
  /** The SOP part the expectation is about (gate, action, role, message type, artifact), `file:line:col`. */
  sopLocation?: string;
}

/**
 * `cases.yaml:12:21: expect.artifacts[0]: ...`: what failed is the dataset's expectation, so it is
 * named where the dataset writes it, as a located diagnostic is (the SOP part it is about, if any, after).
 */
export function failureLine(failure: Failure): string {
  return `${failure.location ? `${failure.location}: ` : ''}${failure.path}: ${failure.message}`;
}

export interface JudgeScore {
  of: string;
  rubric: string;
  minScore: number;
  /** Null when there was nothing to score (no such artifact or message): the rubric fails. */
  score: number | null;
  passed: boolean;
  reasons: string[];
  /**
   * Why `score` is no grade, when the offline model gave it (`offline model: it reviews nothing and
   * gives every rubric 10`): the rubric passes, so an offline eval stays green, but says nothing of quality.
   */
  notGraded?: string;
}

/** Said of a rubric the offline model scored, wherever its score is shown. */
export const NOT_GRADED_OFFLINE = 'offline model: it reviews nothing and gives every rubric 10';

/** The rubrics of a run the offline model scored: `judge[0] post.md`. */
export function ungradedRubrics(run: Pick<CaseRun, 'judges'>): string[] {
  return run.judges.flatMap((judge, index) => (judge.notGraded === undefined ? [] : [`judge[${index}] ${judge.of}`]));
}

/** One run of one case on one model (one repeat). */
export interface CaseRun {
  case: string;
  model: string;
  /** 1 for the first run of the case on the model, 2 with `--repeat 2`, ... */
  repeat: number;
  /** The reason, when the case is skipped (not run, not counted). */
  skipped?: string;
  runId?: string;
  /** The run's status (`completed`, `budget_exhausted`, ...), as `sop runs` shows it. */
  status?: string;
  exitCode?: number;
  passed: boolean;
  /** Share of the case's checks that held (expectations and rubrics), 0..1. */
  score: number;
  /** Judges' scores (0..10) of the rubrics, in the dataset's order. */
  judges: JudgeScore[];
  failures: Failure[];
  /** USD of the run and its judges (cached answers cost nothing). */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Model calls, and of those answered from the response cache. */
  calls: number;
  cachedCalls: number;
  /** Wall time of the run and its judging. */
  latencyMs: number;
}

export interface ModelSummary {
  model: string;
  /** Runs counted (skipped ones are not). */
  runs: number;
  passed: number;
  failed: number;
  skipped: number;
  /** passed / runs; 0 without runs. */
  passRate: number;
  /** 95 % Wilson interval of the pass rate. */
  interval: Interval;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  cachedCalls: number;
  latencyMs: { p50: number | null; p95: number | null };
}

/** A case whose pass rate on a model moved against the baseline. */
interface CaseChange {
  case: string;
  model: string;
  /** Pass rate (share of repeats that passed) in the baseline and now. */
  was: number;
  now: number;
}

export interface BaselineComparison {
  /** The baseline results file, as given. */
  file: string;
  regressions: CaseChange[];
  improvements: CaseChange[];
  /** Case × model pairs in both with the same pass rate. */
  unchanged: number;
  /** Case × model pairs only in this eval (new cases or models). */
  added: number;
  /** Case × model pairs only in the baseline. */
  removed: number;
}

/** Why an eval stopped before running every case. */
export interface EvalStop {
  reason: 'max_cost' | 'interrupted';
  /** Runs finished (skipped cases not counted) and planned. */
  ran: number;
  planned: number;
  spentUsd: number;
}

export interface EvalResult {
  schemaVersion: 1;
  evalId: string;
  /** The eval record folder (`.sop/evals/<id>`): its runs, and `results.json`. */
  evalDir: string;
  sop: { file: string; name: string };
  dataset: string;
  models: string[];
  repeat: number;
  runs: CaseRun[];
  summary: ModelSummary[];
  /** Set when the eval stopped early (`--max-cost`, Ctrl-C): `sop eval --resume ID` continues it. */
  stopped?: EvalStop;
  threshold?: number;
  /** Models whose pass rate is below `--threshold` (exit 17). */
  belowThreshold: string[];
  baseline?: BaselineComparison;
}

/** The per-model summary, in the order of `models`. */
export function summarize(runs: readonly CaseRun[], models: readonly string[]): ModelSummary[] {
  return models.map((model) => {
    const mine = runs.filter((run) => run.model === model);
    const counted = mine.filter((run) => run.skipped === undefined);
    const passed = counted.filter((run) => run.passed).length;
    const sum = (field: 'costUsd' | 'inputTokens' | 'outputTokens' | 'calls' | 'cachedCalls'): number => counted.reduce((total, run) => total + run[field], 0);
    const latencies = counted.map((run) => run.latencyMs);
    return {
      model,
      runs: counted.length,
      passed,
      failed: counted.length - passed,
      skipped: mine.length - counted.length,
      passRate: counted.length === 0 ? 0 : passed / counted.length,
      interval: wilsonInterval(passed, counted.length),
      costUsd: sum('costUsd'),
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      calls: sum('calls'),
      cachedCalls: sum('cachedCalls'),
      latencyMs: { p50: percentile(latencies, 50) ?? null, p95: percentile(latencies, 95) ?? null },
    };
  });
}

/** Models whose pass rate is below the threshold (a model without counted runs is not judged). */
export function belowThreshold(summary: readonly ModelSummary[], threshold: number | undefined): string[] {
  if (threshold === undefined) return [];
  return summary.filter((model) => model.runs > 0 && model.passRate < threshold).map((model) => model.model);
}

/** Pass rate per case × model (skipped runs left out), keyed `model\0case`. */
function passRates(runs: readonly CaseRun[]): Map<string, { case: string; model: string; rate: number }> {
  const counts = new Map<string, { case: string; model: string; passed: number; total: number }>();
  for (const run of runs) {
    if (run.skipped !== undefined) continue;
    const key = `${run.model}\0${run.case}`;
    const count = counts.get(key) ?? { case: run.case, model: run.model, passed: 0, total: 0 };
    count.total += 1;
    if (run.passed) count.passed += 1;
    counts.set(key, count);
  }
  return new Map([...counts].map(([key, count]) => [key, { case: count.case, model: count.model, rate: count.passed / count.total }]));
}

/** Regressions and improvements per case and model against a baseline's runs. */
export function compareWithBaseline(runs: readonly CaseRun[], baselineRuns: readonly CaseRun[], file: string): BaselineComparison {
  const now = passRates(runs);
  const was = passRates(baselineRuns);
  const comparison: BaselineComparison = { file, regressions: [], improvements: [], unchanged: 0, added: 0, removed: 0 };
  for (const [key, current] of now) {
    const before = was.get(key);
    if (!before) comparison.added += 1;
    else if (current.rate < before.rate) comparison.regressions.push({ case: current.case, model: current.model, was: before.rate, now: current.rate });
    else if (current.rate > before.rate) comparison.improvements.push({ case: current.case, model: current.model, was: before.rate, now: current.rate });
    else comparison.unchanged += 1;
  }
  for (const key of was.keys()) if (!now.has(key)) comparison.removed += 1;
  return comparison;
}
