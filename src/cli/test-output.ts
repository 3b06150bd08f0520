import { createPatch } from 'diff';
import type { CaseReport, FailureReport, TestReport } from '../testing/index.js';
import { shownName } from '../spec/text-encoding.js';
import { shorten } from './shorten.js';

/**
 * How `sop test` reads on a terminal, like a test runner's: one line per case as it ends
 * (✓ passed, ✗ failed, ↓ skipped), then each failure with where it is written, what was expected
 * and what the run did (a diff for text), and a closing count.
 */

const MARK = { passed: '✓', failed: '✗', skipped: '↓' } as const;

/** Unscripted calls listed under a failed case; the rest are counted. */
const UNSCRIPTED_SHOWN = 5;

export function formatCaseLine(test: Pick<CaseReport, 'status' | 'name' | 'durationMs' | 'skipped'>): string {
  const time = test.status === 'skipped' ? ` (skipped: ${test.skipped})` : ` (${test.durationMs} ms)`;
  return `  ${MARK[test.status]} ${shownName(test.name)}${time}`;
}

/** A failed case: each failed expectation, then the kept run folder. */
export function formatCaseFailure(file: string, test: CaseReport): string {
  const lines = [`FAIL ${file} > ${shownName(test.name)}  (${test.location})`];
  if (test.run) lines.push(`  run: ${test.run.status}, exit ${test.run.exitCode}${test.run.errorCode ? `, ${test.run.errorCode}` : ''}`);
  // How to fix what failed the run (an MCP server that cannot start), said once, not per expectation.
  if (test.run?.hint) lines.push(`  hint: ${test.run.hint}`);
  for (const failure of test.failures) lines.push(...formatFailure(failure));
  if (test.unscripted) {
    const shown = test.unscripted.slice(0, UNSCRIPTED_SHOWN).map((call) => `    ${call}`);
    if (test.unscripted.length > UNSCRIPTED_SHOWN) shown.push(`    and ${test.unscripted.length - UNSCRIPTED_SHOWN} more`);
    lines.push(`  unscripted calls (the offline model answered them):`, ...shown);
  }
  if (test.kept) lines.push(`  run record kept in ${test.kept} (workspace/, runs/)`);
  return lines.join('\n');
}

function formatFailure(failure: FailureReport): string[] {
  const lines = [`  ✗ ${failure.path}: ${failure.message}`, `      at ${failure.location}`];
  if (failure.sopLocation) lines.push(`      SOP: ${failure.sopLocation}`);
  const { expected, actual } = failure;
  if (expected !== undefined && actual !== undefined && (expected.includes('\n') || actual.includes('\n'))) {
    lines.push(...textDiff(expected, actual).map((line) => `      ${line}`));
  } else {
    if (expected !== undefined) lines.push(`      expected: ${shorten(expected)}`);
    if (actual !== undefined) lines.push(`      actual:   ${shorten(actual)}`);
  }
  return lines;
}

/** Most diff lines shown; a longer diff ends with a count of the rest. */
const DIFF_LINES = 40;

/** A compact unified diff (- expected, + actual) without file headers. */
function textDiff(expected: string, actual: string): string[] {
  const patch = createPatch('text', expected, actual, 'expected', 'actual', { context: 2 });
  const body = patch.split('\n').slice(4).filter((line) => line !== '' && line !== '\\ No newline at end of file');
  const lines = ['--- expected', '+++ actual', ...body];
  return lines.length > DIFF_LINES ? [...lines.slice(0, DIFF_LINES), `... ${lines.length - DIFF_LINES} more lines`] : lines;
}


/** `3 passed, 1 failed, 1 skipped (2.41 s)`. */
export function formatSummary(report: TestReport): string {
  const { passed, failed, skipped, durationMs } = report.summary;
  return `${passed} passed, ${failed} failed, ${skipped} skipped (${(durationMs / 1000).toFixed(2)} s)`;
}
