/**
 * The result of `sop test` as data (`--json`'s `result`, `--junit`): per test file and case, the
 * status, and every failed expectation with where it is written in the test file and the SOP.
 */

import type { ExpectationResult } from './expectations.js';
import type { CaseResult, CaseStatus, FileResult } from './runner.js';
import { formatLocation } from './sop-locations.js';
import { expectationPointer, type TestFile } from './test-file.js';

export interface TestReport {
  files: FileReport[];
  summary: { passed: number; failed: number; skipped: number; durationMs: number };
  /** Golden files `--update` rewrote (relative to their test file's folder, as written). */
  updated: string[];
}

interface FileReport {
  file: string;
  sop: string;
  cases: CaseReport[];
}

export interface CaseReport {
  name: string;
  status: CaseStatus;
  durationMs: number;
  /** `file:line:col` of the case in the test file. */
  location: string;
  skipped?: string;
  run?: CaseResult['run'];
  failures: FailureReport[];
  /** A failed case's kept folder: its workspace and run record. */
  kept?: string;
  /** A failed case's calls that no answer scripted (the offline model answered them). */
  unscripted?: string[];
}

export interface FailureReport {
  /** `expect.messages[1]`. */
  path: string;
  message: string;
  expected?: string;
  actual?: string;
  /** `file:line:col` of the expectation in the test file: of its field the failure is about, when there is one. */
  location: string;
  /** `file:line:col` of the SOP part it is about. */
  sopLocation?: string;
}

/** The report of the files run; `durationMs` is the whole command's. */
export function buildTestReport(results: ReadonlyArray<{ file: TestFile; result: FileResult }>, durationMs: number): TestReport {
  const files = results.map(({ file, result }) => ({ file: result.file, sop: result.sop, cases: result.cases.map((test) => caseReport(file, test)) }));
  const all = files.flatMap((file) => file.cases);
  const count = (status: CaseStatus): number => all.filter((test) => test.status === status).length;
  const updated = results.flatMap(({ result }) => result.cases.flatMap((test) => test.expectations.flatMap((expectation) => (expectation.updated ? [expectation.updated] : []))));
  return { files, summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), durationMs }, updated };
}

function caseReport(file: TestFile, test: CaseResult): CaseReport {
  const index = file.cases.find((entry) => entry.name === test.name)?.index ?? 0;
  return {
    name: test.name,
    status: test.status,
    durationMs: test.durationMs,
    location: formatLocation(test.location),
    ...(test.skipped === undefined ? {} : { skipped: test.skipped }),
    ...(test.run === undefined ? {} : { run: test.run }),
    failures: test.expectations.filter((expectation) => !expectation.passed).map((expectation) => failureReport(file, index, expectation)),
    ...(test.kept === undefined ? {} : { kept: test.kept }),
    ...(test.status === 'failed' && test.unscripted.length > 0 ? { unscripted: test.unscripted } : {}),
  };
}

function failureReport(file: TestFile, index: number, expectation: ExpectationResult): FailureReport {
  // At the field the failure is about (`contains`, `outcomes`), as `sop validate` points at a value;
  // at the failing part of a `where`.
  const location = expectation.writtenAt ?? { file: file.file, ...file.locate(`${expectationPointer(index, expectation.path)}${expectation.field === undefined ? '' : `/${expectation.field}`}`) };
  return {
    path: expectation.path,
    message: expectation.message,
    ...(expectation.expected === undefined ? {} : { expected: expectation.expected }),
    ...(expectation.actual === undefined ? {} : { actual: expectation.actual }),
    location: formatLocation(location),
    ...(expectation.sopLocation ? { sopLocation: formatLocation(expectation.sopLocation) } : {}),
  };
}
