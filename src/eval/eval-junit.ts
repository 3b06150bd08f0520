/**
 * JUnit XML of an eval (`sop eval --junit FILE`): a `<testsuite>` per model (classname = model),
 * a test case per case (`name #2` for the second repeat) failing with what did not hold, skipped
 * cases as `<skipped>`. Names hold no run id, so a case keeps its name from one CI run to the next.
 */

import { failureType } from '../reporting/failure-type.js';
import { attributes, escapeXml } from '../reporting/xml.js';
import { shownName } from '../spec/text-encoding.js';
import { failureLine, NOT_GRADED_OFFLINE, ungradedRubrics, type CaseRun, type EvalResult } from './results.js';
import { plural } from '../errors/index.js';

export function formatEvalJunit(result: EvalResult): string {
  const suites = result.models.map((model) => formatSuite(model, result.runs.filter((run) => run.model === model), result.repeat));
  const runs = result.runs;
  const header = attributes({
    name: `sop eval ${result.sop.name}`,
    tests: runs.length,
    failures: runs.filter(failed).length,
    errors: 0,
    time: seconds(runs.reduce((sum, run) => sum + run.latencyMs, 0)),
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${header}>\n${suites.join('')}</testsuites>\n`;
}

function failed(run: CaseRun): boolean {
  return run.skipped === undefined && !run.passed;
}

function formatSuite(model: string, runs: readonly CaseRun[], repeat: number): string {
  const header = attributes({
    name: model,
    tests: runs.length,
    failures: runs.filter(failed).length,
    errors: 0,
    skipped: runs.filter((run) => run.skipped !== undefined).length,
    time: seconds(runs.reduce((sum, run) => sum + run.latencyMs, 0)),
  });
  return `  <testsuite${header}>\n${runs.map((run) => formatCase(run, repeat)).join('')}  </testsuite>\n`;
}

function formatCase(run: CaseRun, repeat: number): string {
  const name = repeat > 1 ? `${shownName(run.case)} #${run.repeat}` : shownName(run.case);
  const header = attributes({ classname: run.model, name, time: seconds(run.latencyMs) });
  if (run.skipped !== undefined) return `    <testcase${header}>\n      <skipped${attributes({ message: run.skipped })}/>\n    </testcase>\n`;
  if (run.passed) return `    <testcase${header}${notGradedOutput(run)}`;
  const text = run.failures.map((failure) => `${failureLine(failure)}${failure.sopLocation ? ` (SOP: ${failure.sopLocation})` : ''}`).join('\n');
  const message = `${plural(run.failures.length, 'check')} failed (run ${run.runId ?? 'not started'}, ${run.status ?? 'no status'})`;
  return `    <testcase${header}>\n      <failure${attributes({ message, type: failureType('eval_case_failed') })}>${escapeXml(text)}</failure>\n    </testcase>\n`;
}

/** A pass the offline model judged says so in the case's output (CI pages show it), else the case closes at once. */
function notGradedOutput(run: CaseRun): string {
  const ungraded = ungradedRubrics(run);
  if (ungraded.length === 0) return '/>\n';
  return `>\n      <system-out>${escapeXml(`not graded (${NOT_GRADED_OFFLINE}): ${ungraded.join(', ')}`)}</system-out>\n    </testcase>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
