/**
 * CI reports of a run (`sop run --junit`, `--events`, GitHub annotations and step summary), built
 * from the run's live events and its final report.
 */
export { RunReporters, type RunReportersOptions } from './run-reporters.js';
export { RunCollector, type ActionRunRecord, type GateCheck, type ItemRecord, type RunEndRecord } from './run-collector.js';
export { describeOutcome, formatJunit, RUN_SUITE, stoppingGate, type JunitInput, type RunVerdict } from './junit.js';
export { formatAnnotation, diagnosticAnnotation, folderInCheckout, gatePlace, type AnnotationBase, type AnnotationPlace } from './github-annotations.js';
export { formatStepSummary, formatRefusedSummary } from './step-summary.js';
export { formatRefusedJunit, type Refusal } from './refused-junit.js';
export { openEventsWriter, type EventsWriter } from './events-writer.js';
export { escapeXml } from './xml.js';
