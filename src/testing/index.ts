/** Testing SOPs (`sop test`, docs/testing.md): test files, the finished run as data, expectations. */

export { invalidTestFiles, loadTestFile, parseTestFile, readTestFiles, type TestCase, type TestFile } from './test-file.js';
export { observeEvents, observeRun, type ObservedRun } from './observed-run.js';
export { checkExpectations, type ExpectationContext, type ExpectationResult, type Expectations } from './expectations.js';
export { SopLocator } from './sop-locations.js';
export { checkTestFilesAgainstSops, matchesFilter, runTestFile, type CaseResult, type FileResult, type RunTestsOptions } from './runner.js';
export { discoverTestFiles, testsOfOtherSops } from './discover.js';
export { buildTestReport, type CaseReport, type FailureReport, type TestReport } from './test-report.js';
export { formatTestJunit } from './test-junit.js';
export { namingCasesLeftOut, nearFilter } from './filter-notes.js';
