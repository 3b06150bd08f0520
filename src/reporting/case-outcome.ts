/**
 * What a `sop test` or `sop eval` found, as its CI reports show it: the counts per test file (or
 * model) for the step summary, and each failed case for a row of it and an `::error` annotation.
 */

/** Passed, failed and skipped cases of one group: a test file of `sop test`, a model of `sop eval`. */
export interface CaseCounts {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** A case that failed, as CI shows it: a row of the step summary, an `::error` annotation at the case. */
export interface FailedCase {
  /** The case's name (`renders the plan`), with what else tells it apart (`on openai:gpt-4o`). */
  name: string;
  /** Where the case is written: `file:line:col` or `file:line`. */
  location: string;
  /** Why it failed, on one line, short enough for a table cell. */
  reason: string;
  /** Every failure, a line each: the annotation's text. */
  details: string[];
}

/** What a `sop test` or `sop eval` found, for its step summary. */
export interface CasesOutcome {
  command: 'sop test' | 'sop eval';
  /** What was tested: the paths given, the SOP and its dataset. */
  subject: string;
  /** The header of the counts table's first column (`test file`, `model`) and its rows. */
  groupedBy: string;
  groups: CaseCounts[];
  failedCases: FailedCase[];
  /** `sop eval`: the judge rubrics no model graded (the offline model scored them 10), as its console says. */
  notGraded?: NotGraded | undefined;
  /** How the command ended when it did not pass (failed cases, below --threshold, interrupted). */
  error?: { code: string; message: string; hint?: string | undefined; exitCode: number } | undefined;
}

/** Judge rubrics that passed without a grade: why, and each run's (`judge[0] post.md`). */
export interface NotGraded {
  /** Why their scores are no grade (`offline model: it reviews nothing and gives every rubric 10`). */
  reason: string;
  runs: Array<{ name: string; rubrics: string[] }>;
}

/** The passed, failed and skipped cases over every group. */
export function caseTotals(outcome: CasesOutcome): Omit<CaseCounts, 'name'> {
  const sum = (key: 'passed' | 'failed' | 'skipped'): number => outcome.groups.reduce((total, group) => total + group[key], 0);
  return { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped') };
}
