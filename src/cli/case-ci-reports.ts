import type { SopError } from '../errors/index.js';
import type { EvalDataset } from '../eval/dataset.js';
import { failureLine, NOT_GRADED_OFFLINE, ungradedRubrics, type CaseRun, type EvalResult } from '../eval/results.js';
import type { CasesOutcome, FailedCase, NotGraded } from '../reporting/index.js';
import type { CaseReport, TestReport } from '../testing/index.js';
import { githubActions } from './annotation-base.js';
import { shownName } from '../spec/text-encoding.js';
import { shorten } from './shorten.js';

/**
 * Under GitHub Actions, the reports of a `sop test` or `sop eval` that ran its cases: an `::error`
 * per failed case at the case, and the step summary (nothing elsewhere).
 */
export async function reportCasesUnderActions(outcome: () => CasesOutcome, redact?: (text: string) => string): Promise<void> {
  const github = githubActions();
  if (!github) return;
  const { reportCasesToGithub } = await import('../reporting/index.js');
  reportCasesToGithub(outcome(), { github, ...(redact ? { redact } : {}) });
}

/** What `sop test` found: counts per test file, each failed case at its place in the test file. */
export function testCasesOutcome(report: TestReport, subject: string, error: SopError | undefined): CasesOutcome {
  return {
    command: 'sop test',
    subject,
    groupedBy: 'test file',
    groups: report.files.map((file) => ({ name: file.file, ...countStatuses(file.cases.map((test) => test.status)) })),
    failedCases: report.files.flatMap((file) => file.cases.filter((test) => test.status === 'failed').map((test) => failedTest(test))),
    ...(error ? { error: refusalOf(error) } : {}),
  };
}

function failedTest(test: CaseReport): FailedCase {
  const run = test.run && test.run.exitCode !== 0 ? `run: ${test.run.status}, exit ${test.run.exitCode}${test.run.errorCode ? `, ${test.run.errorCode}` : ''}` : undefined;
  const failures = test.failures.map((failure) => `${failure.path}: ${failure.message} (at ${failure.location})`);
  const first = test.failures[0];
  return {
    name: shownName(test.name),
    location: test.location,
    reason: shorten(first ? `${first.path}: ${first.message}` : (run ?? 'failed')),
    details: [...(run ? [run] : []), ...failures, ...(test.run?.hint ? [`hint: ${test.run.hint}`] : []), ...(test.kept ? [`run record kept in ${test.kept}`] : [])],
  };
}

/**
 * What `sop eval` found: counts of runs per model; each failed case once (at its place in the
 * dataset), naming the models and repeats it failed on.
 */
export function evalCasesOutcome(result: EvalResult, dataset: EvalDataset, error: SopError | undefined): CasesOutcome {
  const failedRuns = result.runs.filter((run) => run.skipped === undefined && !run.passed);
  const names = [...new Set(failedRuns.map((run) => run.case))];
  return {
    command: 'sop eval',
    subject: `${result.sop.name} on ${result.dataset}`,
    groupedBy: 'model',
    groups: result.models.map((model) => {
      const runs = result.runs.filter((run) => run.model === model);
      return { name: model, ...countStatuses(runs.map((run) => (run.skipped !== undefined ? 'skipped' : run.passed ? 'passed' : 'failed'))) };
    }),
    failedCases: names.map((name) => failedEvalCase(name, failedRuns.filter((run) => run.case === name), dataset, result.repeat)),
    notGraded: notGradedRuns(result.runs),
    ...(error ? { error: refusalOf(error) } : {}),
  };
}

function failedEvalCase(name: string, runs: readonly CaseRun[], dataset: EvalDataset, repeat: number): FailedCase {
  const on = (run: CaseRun): string => `${run.model}${repeat > 1 ? ` #${run.repeat}` : ''}`;
  const first = runs[0] as CaseRun;
  const firstFailure = first.failures[0];
  return {
    name: shownName(name),
    // The case itself, line and column as `sop test`'s; a case no longer in the dataset (an eval resumed from its record) at the dataset.
    location: dataset.cases.find((entry) => entry.name === name)?.locate('') ?? dataset.file,
    // The case's place is its own column: the failure without its location.
    reason: shorten(`on ${runs.map(on).join(', ')}: ${firstFailure ? `${firstFailure.path}: ${firstFailure.message}` : (first.status ?? 'failed')}`),
    details: runs.flatMap((run) => [
      `on ${on(run)} (run ${run.runId ?? 'not started'}, ${run.status ?? 'no status'}):`,
      ...run.failures.map((failure) => `  ${failureLine(failure)}`),
    ]),
  };
}

/** The runs with rubrics the offline model scored, named as the console names them (`drafts on offline`). */
function notGradedRuns(runs: readonly CaseRun[]): NotGraded | undefined {
  const ungraded = runs.map((run) => ({ name: `${shownName(run.case)}${run.repeat > 1 ? ` #${run.repeat}` : ''} on ${run.model}`, rubrics: ungradedRubrics(run) })).filter((run) => run.rubrics.length > 0);
  return ungraded.length > 0 ? { reason: NOT_GRADED_OFFLINE, runs: ungraded } : undefined;
}

function countStatuses(statuses: readonly string[]): { passed: number; failed: number; skipped: number } {
  const count = (status: string): number => statuses.filter((one) => one === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

function refusalOf(error: SopError): NonNullable<CasesOutcome['error']> {
  return { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode };
}
