import type { CasesOutcome } from './case-outcome.js';
import { failedCaseAnnotation, type AnnotationBase } from './github-annotations.js';
import { appendStepSummary } from './run-reporters.js';
import { formatCasesSummary } from './step-summary.js';

export interface CaseReportersOptions {
  /** The checkout (`GITHUB_WORKSPACE`) annotations name files relative to, and the step summary file. */
  github: { stepSummary?: string | undefined; base?: AnnotationBase | undefined };
  stderr?: NodeJS.WritableStream;
  /** Masks secrets in everything written. */
  redact?: (text: string) => string;
}

/**
 * The GitHub Actions reports of a `sop test` or `sop eval` that ran its cases, as `sop run` writes
 * its own: an `::error` annotation per failed case at the case in its test file or dataset (on
 * stderr, so stdout stays for `--json`), and the step summary.
 */
export function reportCasesToGithub(outcome: CasesOutcome, options: CaseReportersOptions): void {
  const stderr = options.stderr ?? process.stderr;
  const redact = options.redact ?? ((text: string) => text);
  for (const failed of outcome.failedCases) stderr.write(`${redact(failedCaseAnnotation(outcome.command, failed, options.github.base))}\n`);
  appendStepSummary(options.github.stepSummary, redact(formatCasesSummary(outcome)), stderr);
}
