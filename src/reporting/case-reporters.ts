import { caseTotals, type CasesOutcome } from './case-outcome.js';
import { failedCaseAnnotation } from './github-annotations.js';
import { appendGithubFile, formatStepOutputs, type GithubActionsContext } from './github-files.js';
import { appendStepSummary } from './run-reporters.js';
import { formatCasesSummary } from './step-summary.js';

export interface CaseReportersOptions {
  /** The checkout (`GITHUB_WORKSPACE`) annotations name files relative to, the step summary and outputs files. */
  github: GithubActionsContext;
  stderr?: NodeJS.WritableStream;
  /** Masks secrets in everything written. */
  redact?: (text: string) => string;
}

/**
 * The GitHub Actions reports of a `sop test` or `sop eval` that ran its cases, as `sop run` writes
 * its own: an `::error` annotation per failed case at the case in its test file or dataset (on
 * stderr, so stdout stays for `--json`), the step summary, and the step's outputs (the counts, how
 * it ended).
 */
export function reportCasesToGithub(outcome: CasesOutcome, options: CaseReportersOptions): void {
  const stderr = options.stderr ?? process.stderr;
  const redact = options.redact ?? ((text: string) => text);
  for (const failed of outcome.failedCases) stderr.write(`${redact(failedCaseAnnotation(outcome.command, failed, options.github.base))}\n`);
  appendStepSummary(options.github.stepSummary, redact(formatCasesSummary(outcome)), stderr);
  const totals = caseTotals(outcome);
  const outputs = { status: outcome.error || totals.failed > 0 ? 'failed' : 'passed', 'exit-code': outcome.error?.exitCode ?? 0, 'error-code': outcome.error?.code, ...totals };
  appendGithubFile(options.github.outputs, redact(formatStepOutputs(outputs)), 'the step outputs', stderr);
}
