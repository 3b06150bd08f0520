import { failureLine, ungradedRubrics, NOT_GRADED_OFFLINE, type CaseRun, type EvalResult, type Failure, type ModelSummary } from '../eval/results.js';
import { shownPath } from '../files/shown-path.js';
import { formatTable } from './format-table.js';
import { shorten } from './shorten.js';
import { shownName } from '../spec/text-encoding.js';
import { plural } from '../errors/index.js';

/**
 * The files the eval wrote, one `label: path` line each (relative to `cwd` inside it), as a run's
 * summary names its record: the HTML report, then `--junit` and `--out` when given.
 */
export function formatEvalFiles(files: { report?: string; junit?: string; results?: string }, cwd: string = process.cwd()): string {
  const lines: string[] = [];
  if (files.report !== undefined) lines.push(`report: ${shownPath(files.report, cwd)}`);
  if (files.junit !== undefined) lines.push(`junit: ${shownPath(files.junit, cwd)}`);
  if (files.results !== undefined) lines.push(`results: ${shownPath(files.results, cwd)}`);
  return lines.join('\n');
}

/** A progress line per judged run (stderr). */
export function formatRunLine(run: CaseRun, finished: number, planned: number): string {
  const verdict = run.skipped !== undefined ? `skipped (${run.skipped})` : run.passed ? 'passed' : `FAILED (${plural(run.failures.length, 'check')})`;
  const repeat = run.repeat > 1 ? ` #${run.repeat}` : '';
  const ungraded = ungradedRubrics(run).length;
  const graded = ungraded === 0 ? '' : ` (${plural(ungraded, 'rubric')} not graded: offline model)`;
  return `[${finished}/${planned}] ${shownName(run.case)}${repeat} on ${run.model}: ${verdict}${graded}`;
}

/**
 * What `sop eval` prints on stdout: the case × model table (passes of the repeats), each model's
 * pass rate with its interval, cost and latency, what failed and where, the baseline comparison.
 */
export function formatEvalReport(result: EvalResult, sopModels?: { label: string; keys: readonly string[] }): string {
  const sections = [casesTable(result), summaryTable(result.summary) + sopModelsLegend(sopModels), notGraded(result.runs), failures(result.runs), baseline(result)].filter((section) => section !== '');
  return `${sections.join('\n\n')}\n`;
}

/** What the label of the SOP's own models stands for: it names no model, so the table's reader is told which. */
function sopModelsLegend(sopModels: { label: string; keys: readonly string[] } | undefined): string {
  if (sopModels === undefined) return '';
  return `\n${sopModels.label}: the models the SOP (or the configuration) names: ${sopModels.keys.join(', ')}`;
}

function casesTable(result: EvalResult): string {
  const names = [...new Set(result.runs.map((run) => run.case))];
  const rows = names.map((name) => [shownName(name), ...result.models.map((model) => cell(result.runs.filter((run) => run.case === name && run.model === model)))]);
  return formatTable(['case', ...result.models], rows);
}

/** `pass`, `FAIL`, `skip`; with repeats, passes out of runs (`2/3`). */
function cell(runs: readonly CaseRun[]): string {
  if (runs.length === 0) return '-';
  if (runs.every((run) => run.skipped !== undefined)) return 'skip';
  const counted = runs.filter((run) => run.skipped === undefined);
  const passed = counted.filter((run) => run.passed).length;
  if (counted.length === 1) return passed === 1 ? 'pass' : 'FAIL';
  return `${passed}/${counted.length}`;
}

function summaryTable(summary: readonly ModelSummary[]): string {
  const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
  const ms = (value: number | null): string => (value === null ? '-' : `${Math.round(value)} ms`);
  const rows = summary.map((model) => [
    model.model,
    `${model.passed}/${model.runs}`,
    // No run judged (all skipped, or interrupted before the first): no rate to show, not 0 %.
    model.runs === 0 ? '-' : percent(model.passRate),
    model.runs === 0 ? '-' : `${percent(model.interval.low)} - ${percent(model.interval.high)}`,
    `$${model.costUsd.toFixed(4)}`,
    String(model.inputTokens + model.outputTokens),
    `${model.calls} (${model.cachedCalls} cached)`,
    ms(model.latencyMs.p50),
    ms(model.latencyMs.p95),
  ]);
  return formatTable(['model', 'passed', 'pass rate', '95 % interval', 'cost', 'tokens', 'calls', 'p50', 'p95'], rows);
}

/**
 * The rubrics the offline model scored: their 10 reads as a pass in the table, so it is said they
 * were not graded, and how to grade them. They stay passes: an eval on the offline model checks the
 * dataset and the SOP's plumbing, and stays green.
 */
function notGraded(runs: readonly CaseRun[]): string {
  const ungraded = runs.filter((run) => ungradedRubrics(run).length > 0);
  if (ungraded.length === 0) return '';
  const rubrics = ungraded.reduce((sum, run) => sum + ungradedRubrics(run).length, 0);
  return [
    `not graded: ${plural(rubrics, 'judge rubric')} of ${plural(ungraded.length, 'run')} (${NOT_GRADED_OFFLINE}); their passes say nothing of quality: --judge-model PROVIDER:MODEL (or the dataset's judge_model) grades them`,
    ...ungraded.map((run) => `  ${shownName(run.case)}${run.repeat > 1 ? ` #${run.repeat}` : ''} on ${run.model}: ${ungradedRubrics(run).join(', ')}`),
  ].join('\n');
}

function failures(runs: readonly CaseRun[]): string {
  const failed = runs.filter((run) => run.skipped === undefined && !run.passed);
  if (failed.length === 0) return '';
  const lines = failed.flatMap((run) => [
    `${shownName(run.case)}${run.repeat > 1 ? ` #${run.repeat}` : ''} on ${run.model} (run ${run.runId ?? 'not started'}, ${run.status ?? 'no status'}):`,
    ...run.failures.map((failure) => `  ${failureLine(failure)}${unsaid(failure)}${failure.sopLocation ? ` (SOP: ${failure.sopLocation})` : ''}`),
  ]);
  return ['failed:', ...lines].join('\n');
}

/**
 * What the check's message does not already say of what was expected and what was got, so a failure
 * is one line that says each once: `1 Plan message(s), expected 2 (messages published: Idea 1, Plan 1)`,
 * `plan.md: does not contain "NOPE" (got # Plan ...)`. It said both again after a message that
 * said them (`expected 2 (expected 2, got 1 (...))`).
 */
function unsaid(failure: Failure): string {
  const { message, expected, actual } = failure;
  const parts: string[] = [];
  if (expected !== undefined && !message.includes(expected)) parts.push(`expected ${shorten(expected)}`);
  if (actual !== undefined && !message.includes(actual)) {
    // A count's actual is the count the message gives, then what was seen: only the rest is new.
    const aside = /^(\S+) \((.+)\)$/s.exec(actual);
    parts.push(aside && message.startsWith(`${aside[1]} `) ? (aside[2] as string) : `got ${shorten(actual)}`);
  }
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

function baseline(result: EvalResult): string {
  const comparison = result.baseline;
  if (!comparison) return '';
  const rate = (value: number): string => `${Math.round(value * 100)} %`;
  const change = (kind: string) => (entry: { case: string; model: string; was: number; now: number }): string => `  ${kind} ${shownName(entry.case)} on ${entry.model}: ${rate(entry.was)} -> ${rate(entry.now)}`;
  return [
    `against baseline ${comparison.file}: ${plural(comparison.regressions.length, 'regression')}, ${plural(comparison.improvements.length, 'improvement')}, ${comparison.unchanged} unchanged, ${comparison.added} new, ${comparison.removed} gone`,
    ...comparison.regressions.map(change('regressed')),
    ...comparison.improvements.map(change('improved')),
  ].join('\n');
}
