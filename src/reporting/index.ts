/**
 * CI reports of a run (`sop run --junit`, `--events`, GitHub annotations and step summary), built
 * from the run's live events and its final report; and the GitHub reports of `sop test` and `sop eval`.
 */
export { RunReporters, type RunReportersOptions } from './run-reporters.js';
export { RunCollector, type ActionRunRecord, type GateCheck, type ItemRecord, type RunEndRecord } from './run-collector.js';
export { describeOutcome, formatJunit, RUN_SUITE, stoppingGate, type JunitInput, type RunVerdict } from './junit.js';
export { formatAnnotation, diagnosticAnnotation, gatePlace, type AnnotationBase, type AnnotationPlace } from './github-annotations.js';
export { formatCasesSummary, formatStepSummary, formatRefusedSummary } from './step-summary.js';
export { reportCasesToGithub, type CaseReportersOptions } from './case-reporters.js';
export { formatStepOutputs, type GithubActionsContext, type StepOutputs } from './github-files.js';
export type { CaseCounts, CasesOutcome, FailedCase, NotGraded } from './case-outcome.js';
export { formatRefusedJunit, type Refusal } from './refused-junit.js';
export { failureType, RUN_STATUS_CODES } from './failure-type.js';
export { openEventsWriter, type EventsWriter } from './events-writer.js';
export { escapeXml } from './xml.js';
