import type { PendingApproval } from '../runtime/approval.js';
import type { RunReport, RunReportSoFar } from '../runtime/types.js';
import { printableText } from '../spec/text-encoding.js';
import type { UsageCount } from '../runtime/usage.js';
import { awaitedApprovals } from './awaited-approvals.js';
import { gateResults, type GateVerdict } from './gate-results.js';
import { caseTotals, type CasesOutcome, type NotGraded } from './case-outcome.js';
import { folderInCheckout, type AnnotationBase } from './github-annotations.js';
import { repeatsErrorHint } from './outcome-hints.js';
import type { ActionRunRecord } from './run-collector.js';
import { plural } from '../errors/index.js';

/** Most artifacts listed in the summary (a big run writes hundreds). */
const MAX_ARTIFACTS = 50;

const STATUS_ICON: Record<string, string> = {
  completed: '✅',
  stalled: '⚠️',
  round_limit: '⚠️',
  budget_exhausted: '💸',
  gate_stopped: '⛔',
  awaiting_approval: '✋',
  failed: '❌',
  interrupted: '⏹️',
  running: '⏳',
  crashed: '💥',
};

/** Action run outcomes the `failed` column does not count. */
const NOT_FAILED = new Set<ActionRunRecord['outcome']>(['published', 'routed', 'awaiting-approval']);

/**
 * The Markdown appended to `$GITHUB_STEP_SUMMARY` after a run: status, rounds, calls, cost,
 * duration; the error; a table per role (action runs, failures, gates passed, flaky (passed after a
 * revision) and failed, calls, tokens, cost); the artifacts written. With `base` (the checkout, or
 * the working folder), their folder is named relative to it when inside it. `command`: the title's
 * (`sop resume` for a resumed run).
 */
export function formatStepSummary(report: RunReport | RunReportSoFar, actionRuns: readonly ActionRunRecord[], roles: readonly string[], base?: AnnotationBase, command = 'sop run'): string {
  const total = report.usage.total;
  const workspace = base ? folderInCheckout(report.workspace, base) : report.workspace;
  const lines = [
    `### ${command}: ${cell(report.sop.name)} ${cell(report.sop.version)} ${STATUS_ICON[report.status] ?? ''} ${report.status}`.replace(/\s+$/, ''),
    '',
    '| status | exit code | rounds | model calls | tokens | cost | duration |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${report.status} | ${report.exitCode ?? '-'} | ${report.rounds} | ${calls(total)} | ${tokens(total)} | ${cost(report.costUsd, report.costUnknown)} | ${(report.durationMs / 1000).toFixed(1)}s |`,
    '',
  ];
  // A run without an end: what its journal committed, no more (the round in progress is not in it).
  if (report.status === 'running') lines.push(`_In progress: the report so far, up to the ${plural(report.rounds, 'round')} its journal committed (round ${report.rounds + 1} is running); report it again once it ends._`, '');
  if (report.status === 'crashed') lines.push(`_Killed before it ended: the ${plural(report.rounds, 'round')} its journal committed._`, '');
  const errorHint = repeatsErrorHint(report.error?.hint, report.hint) ? undefined : report.error?.hint;
  if (report.error) lines.push(`**${cell(report.error.code)}**: ${cell(report.error.message)}${errorHint ? ` (hint: ${cell(errorHint)})` : ''}`, '');
  if (report.hint) lines.push(`hint: ${cell(report.hint)}`, '');
  if (report.offline) lines.push('_The built-in offline model answered: its content is placeholder text._', '');
  if ('awaiting' in report && report.awaiting) lines.push(...awaitingLines(report.awaiting));

  lines.push('| role | action runs | failed | gates passed | gates flaky | gates failed | model calls | tokens | cost |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const names = [...new Set([...roles, ...Object.keys(report.usage.byRole), ...actionRuns.map((run) => run.role)])];
  for (const role of names) {
    const runs = actionRuns.filter((run) => run.role === role);
    const gates = runs.flatMap(gateResults);
    const count = (verdict: GateVerdict): number => gates.filter((gate) => gate.verdict === verdict).length;
    // An action paused at a human gate has not failed: it waits for `sop resume --approve` (JUnit passes it too).
    const failed = runs.filter((run) => !NOT_FAILED.has(run.outcome)).length;
    const usage = report.usage.byRole[role];
    lines.push(
      `| ${cell(role)} | ${runs.length} | ${failed} | ${count('passed')} | ${count('flaky')} | ${count('failed')} | ` +
        `${usage ? calls(usage) : 0} | ${usage ? tokens(usage) : 0} | ${usage ? cost(usage.costUsd, usage.costUnknown) : '$0'} |`,
    );
  }
  lines.push('');

  if (report.artifacts.length === 0) {
    // A fold that opens on nothing reads as a broken page: one line says it.
    lines.push(`No artifacts written in <code>${html(workspace)}</code>.`);
  } else {
    lines.push(`<details><summary>${plural(report.artifacts.length, 'artifact')} in <code>${html(workspace)}</code></summary>`, '');
    lines.push('| path | bytes | sha256 |', '| --- | --- | --- |');
    for (const artifact of report.artifacts.slice(0, MAX_ARTIFACTS)) lines.push(`| \`${cell(artifact.path)}\` | ${artifact.bytes} | \`${artifact.sha256.slice(0, 12)}\` |`);
    if (report.artifacts.length > MAX_ARTIFACTS) lines.push(`| ... and ${report.artifacts.length - MAX_ARTIFACTS} more | | |`);
    lines.push('', '</details>');
  }
  const pending = report.pendingArtifacts ?? [];
  if (pending.length > 0) {
    const shown = pending.slice(0, MAX_ARTIFACTS).map((artifact) => `\`${cell(artifact.path)}\``);
    if (pending.length > MAX_ARTIFACTS) shown.push(`and ${pending.length - MAX_ARTIFACTS} more`);
    lines.push('', `Pending, not accepted (the run stopped while their gates checked them; drafts a resume writes anew): ${shown.join(', ')}.`);
  }
  const rejected = report.rejectedArtifacts ?? [];
  if (rejected.length > 0) {
    const shown = rejected.slice(0, MAX_ARTIFACTS).map((artifact) => `\`${cell(artifact.path)}\``);
    if (rejected.length > MAX_ARTIFACTS) shown.push(`and ${rejected.length - MAX_ARTIFACTS} more`);
    lines.push('', `Rejected by their gates (drafts left in the workspace, not kept): ${shown.join(', ')}.`);
  }
  lines.push('', `Run record: \`${cell(report.runId)}\``, '');
  return lines.join('\n');
}

/**
 * What a paused run waits for (status `awaiting_approval`): each human gate, its question, the
 * action run and the output to review (its first lines, folded) or the files written from it.
 */
function awaitingLines(awaiting: readonly PendingApproval[]): string[] {
  const lines = [`**Awaiting approval** (${plural(awaiting.length, 'decision')}; the hint says how to give ${awaiting.length === 1 ? 'it' : 'them'}):`, ''];
  for (const request of awaitedApprovals(awaiting)) {
    const item = (request.index === undefined ? '' : `, item ${request.index}`) + (request.message === undefined ? '' : `, message ${cell(request.message)}`);
    const files = request.files.length > 0 ? `; review ${request.files.map((file) => `\`${cell(file)}\``).join(', ')}` : '';
    lines.push(`- gate \`${cell(request.gate)}\` of ${cell(request.role)}/${cell(request.action)} (round ${request.round}${item}): ${cell(request.prompt)}${files}`);
    const shown = request.outputLines.map(printableText).join('\n') + (request.outputCut ? '\n...' : '');
    lines.push(`  <details><summary>the ${html(request.outputType)} it would publish</summary><pre>${html(shown)}</pre></details>`);
  }
  lines.push('');
  return lines;
}

/** The summary of a run that never started: the SOP was invalid, its lock drifted, an input was missing. */
export function formatRefusedSummary(subject: string, error: { code: string; message: string; hint?: string | undefined }, exitCode: number, command = 'sop run'): string {
  const [first, ...rest] = error.message.split('\n');
  const lines = [
    `### ${cell(command)}: ${cell(subject)} ❌ refused`,
    '',
    `**${cell(error.code)}** (exit ${exitCode}): ${cell(first ?? '')}`,
    ...rest.map((line) => line.trim()).filter(Boolean).map((line) => `- ${cell(line.replace(/^- /, ''))}`),
    '',
  ];
  if (error.hint) lines.push(`hint: ${cell(error.hint)}`, '');
  return lines.join('\n');
}

/** Most failed cases listed in the summary (the annotations name them all). */
const MAX_FAILED_CASES = 50;

/**
 * The Markdown a `sop test` or `sop eval` appends to `$GITHUB_STEP_SUMMARY`: the passed, failed and
 * skipped counts per test file (or model), how it ended, and a table of the failed cases (where each
 * is written, and why it failed, shortened).
 */
export function formatCasesSummary(outcome: CasesOutcome): string {
  const { passed, failed, skipped } = caseTotals(outcome);
  const verdict = failed > 0 ? `❌ ${failed} of ${passed + failed} failed` : outcome.error ? `❌ ${outcome.error.code}` : `✅ ${passed} passed`;
  const lines = [
    `### ${outcome.command}: ${cell(outcome.subject)} ${verdict}`,
    '',
    `| ${cell(outcome.groupedBy)} | passed | failed | skipped |`,
    '| --- | --- | --- | --- |',
    ...outcome.groups.map((group) => `| ${cell(group.name)} | ${group.passed} | ${group.failed} | ${group.skipped} |`),
    '',
  ];
  if (outcome.notGraded && outcome.notGraded.runs.length > 0) lines.push(...notGradedLines(outcome.notGraded));
  if (outcome.failedCases.length > 0) {
    lines.push('| failed case | where | why |', '| --- | --- | --- |');
    for (const test of outcome.failedCases.slice(0, MAX_FAILED_CASES)) lines.push(`| ${cell(test.name)} | \`${cell(test.location)}\` | ${cell(test.reason)} |`);
    if (outcome.failedCases.length > MAX_FAILED_CASES) lines.push(`| ... and ${outcome.failedCases.length - MAX_FAILED_CASES} more | | |`);
    lines.push('');
  }
  // After the failed cases, which its hint may point at (`see each failure above`).
  if (outcome.error) {
    lines.push(`**${cell(outcome.error.code)}** (exit ${outcome.error.exitCode}): ${cell(outcome.error.message)}`, '');
    if (outcome.error.hint) lines.push(`hint: ${cell(outcome.error.hint)}`, '');
  }
  return lines.join('\n');
}

/**
 * The judge rubrics that passed ungraded, as the console lists them under its summary: their passes
 * say nothing of quality, so a green summary must not read as graded.
 */
function notGradedLines(notGraded: NotGraded): string[] {
  const rubrics = notGraded.runs.reduce((sum, run) => sum + run.rubrics.length, 0);
  const lines = [
    `**Not graded:** ${plural(rubrics, 'judge rubric')} of ${plural(notGraded.runs.length, 'run')} (${cell(notGraded.reason)}); their passes say nothing of quality: \`--judge-model PROVIDER:MODEL\` (or the dataset's \`judge_model\`) grades them`,
    '',
    '| run | rubrics not graded |',
    '| --- | --- |',
  ];
  for (const run of notGraded.runs.slice(0, MAX_FAILED_CASES)) lines.push(`| ${cell(run.name)} | ${cell(run.rubrics.join(', '))} |`);
  if (notGraded.runs.length > MAX_FAILED_CASES) lines.push(`| ... and ${notGraded.runs.length - MAX_FAILED_CASES} more | |`);
  lines.push('');
  return lines;
}

function calls(usage: UsageCount): string {
  return usage.cachedCalls > 0 ? `${usage.calls} (${usage.cachedCalls} cached or replayed)` : String(usage.calls);
}

function tokens(usage: UsageCount): number {
  return usage.promptTokens + usage.completionTokens;
}

function cost(usd: number, unknown: boolean): string {
  const amount = usd === 0 ? '$0' : `$${usd >= 0.01 ? usd.toFixed(2) : usd.toPrecision(2)}`;
  return unknown ? `${amount} + unknown` : amount;
}

/** Text safe inside a Markdown table cell (no pipe, no line break, no terminal escape sequence). */
function cell(text: string): string {
  return printableText(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
