import { failureType } from '../reporting/failure-type.js';
import { attributes, escapeXml } from '../reporting/xml.js';
import { shownName } from '../spec/text-encoding.js';
import type { TestReport } from './test-report.js';

/**
 * `sop test --junit FILE`: one `<testsuite>` per test file, one `<testcase>` per case (classname
 * the test file, name the case); a failed case's `<failure>` lists its failed expectations, a
 * skipped case has `<skipped>` with the reason.
 */
export function formatTestJunit(report: TestReport): string {
  const suites = report.files.map((file) => {
    const header = attributes({
      name: file.file,
      tests: file.cases.length,
      failures: file.cases.filter((test) => test.status === 'failed').length,
      errors: 0,
      skipped: file.cases.filter((test) => test.status === 'skipped').length,
      time: seconds(file.cases.reduce((sum, test) => sum + test.durationMs, 0)),
      file: file.file,
    });
    const cases = file.cases.map((test) => {
      const head = attributes({ classname: file.file, name: shownName(test.name), time: seconds(test.durationMs) });
      if (test.status === 'passed') return `    <testcase${head}/>\n`;
      if (test.status === 'skipped') return `    <testcase${head}>\n      <skipped${attributes({ message: test.skipped ?? '' })}/>\n    </testcase>\n`;
      const first = test.failures[0];
      const text = test.failures.map((failure) => `${failure.path} (${failure.location}): ${failure.message}${failure.sopLocation ? `\n  SOP: ${failure.sopLocation}` : ''}`).join('\n');
      return `    <testcase${head}>\n      <failure${attributes({ message: first?.message ?? 'failed', type: failureType('expectation_failed') })}>${escapeXml(text)}</failure>\n    </testcase>\n`;
    });
    return `  <testsuite${header}>\n${cases.join('')}  </testsuite>\n`;
  });
  const { summary } = report;
  const header = attributes({ name: 'sop test', tests: summary.passed + summary.failed + summary.skipped, failures: summary.failed, errors: 0, time: seconds(summary.durationMs) });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${header}>\n${suites.join('')}</testsuites>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
