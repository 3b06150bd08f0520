/**
 * CI reports of a run (`sop run --junit`, `--events`, GitHub annotations and step summary), built
 * from the run's live events and its final report; and the GitHub reports of `sop test` and `sop eval`.
 */
export { RunReporters } from './run-reporters.js';
export { RunCollector } from './run-collector.js';
export { formatJunit } from './junit.js';
export { formatAnnotation, diagnosticAnnotation, type AnnotationBase, type AnnotationPlace } from './github-annotations.js';
export { formatStepSummary } from './step-summary.js';
export { reportCasesToGithub } from './case-reporters.js';
export { formatStepOutputs, type GithubActionsContext } from './github-files.js';
export type { CasesOutcome, FailedCase, NotGraded } from './case-outcome.js';
export { RUN_STATUS_CODES } from './failure-type.js';
