/** Testing SOPs (`sop test`, docs/testing.md): test files, the finished run as data, expectations. */

export { type BrokenTestFile, expectationPointer, invalidTestFiles, loadTestFile, parseTestFile, readTestFiles, TEST_SCHEMA, type TestCase, type TestFile } from './test-file.js';
export { observeEvents, observeRun, type GateOutcome, type ObservedGate, type ObservedMessage, type ObservedRun, type ObservedStep, type ObservedUsage } from './observed-run.js';
export { checkExpectations, type ExpectationContext, type ExpectationResult, type Expectations } from './expectations.js';
export { formatLocation, SopLocator, type SopLocation, type SopPart } from './sop-locations.js';
export type { SopTestFile, Case } from './sop-test.types.generated.js';
export { checkTestFilesAgainstSops, matchesFilter, type CheckedTestFile, type LeftOutCase, runTestFile, testFileWarnings, type CaseResult, type CaseStatus, type FileResult, type RunTestsOptions } from './runner.js';
export { discoverTestFiles, testsOfOtherSops } from './discover.js';
export { buildTestReport, type CaseReport, type FailureReport, type FileReport, type TestReport } from './test-report.js';
export { formatTestJunit } from './test-junit.js';
export { namingCasesLeftOut, nearFilter } from './filter-notes.js';
