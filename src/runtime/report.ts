import { boundValue } from './inputs.js';
import { workspaceChanges } from './workspace-changes.js';
import { dictionary } from './superstep/dictionary.js';
import { budgetHint } from './budget.js';
import { failureHint } from './failure-hint.js';
import { gateReport } from './gate-stats.js';
import { resumeCommand } from './resume-target.js';
import { awaitedName, type PendingApproval } from './approval.js';
import { quoteArgument } from './shell-argument.js';
import type { RunState } from './run-state.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { TeamResult } from './team.js';
import type { Checkpoint } from './checkpoint.js';
import type { JournalEntry } from '../store/index.js';
import type { AnsweredAfter, RunReport, RunReportSoFar } from './types.js';
import type { UsageCount } from './usage.js';

/** `report.json`: the run's outcome, counts, models, usage, cost and artifacts. */
export function buildReport(
  state: RunState,
  result: TeamResult,
  facts: { exitCode: number; modelName: string; started: Date; ended: Date; durationMs: number },
): RunReport {
  const { sop, usage } = state;
  const report = shapeReport(
    {
      runId: state.runId,
      sop: { name: sop.name, version: sop.version, file: sop.displayPath, sha256: sop.sha256 },
      rounds: result.rounds,
      started: facts.started.toISOString(),
      durationMs: facts.durationMs,
      model: facts.modelName,
      models: usage.byModel,
      offline: state.offlineAnswered,
      workspace: state.workspace.root,
      messageCounts: result.messageCounts,
      usage: usage.total,
      byRole: usage.byRole,
      byAction: usage.byAction,
      artifacts: [...state.artifacts.values()].filter((file) => !state.undecidedArtifacts.has(file.path) && !state.rejectedArtifacts.has(file.path)),
    },
    {
      status: result.status,
      exitCode: facts.exitCode,
      ...(result.stoppedInRound === undefined ? {} : { stoppedInRound: result.stoppedInRound }),
      ended: facts.ended.toISOString(),
      budget: { investment: usage.limits.investment ?? null, maxTokens: usage.limits.maxTokens ?? null },
      gates: gateReport(state.gateStats),
    },
  );
  // Written for gates that never decided on them: the run stopped while they were checked.
  if (state.undecidedArtifacts.size > 0) report.pendingArtifacts = listed([...state.artifacts.values()].filter((file) => state.undecidedArtifacts.has(file.path)));
  // Written for gates that rejected them, and not written again since.
  if (state.rejectedArtifacts.size > 0) report.rejectedArtifacts = listed([...state.artifacts.values()].filter((file) => state.rejectedArtifacts.has(file.path)));
  // An incremental run's: each artifact by what the run's writes did to it (its first write kept what was there), in the report's order.
  if (state.workspaceChanges) report.workspaceChanges = workspaceChanges(report.artifacts.map((file) => state.artifacts.get(file.path) ?? file), state.workspaceFiles, state.workspace.root);
  if (result.status === 'awaiting_approval') {
    report.awaiting = state.approvals.pending.map((request) => ({ ...request }));
    report.hint = approvalHint(state.resumeCommand, report.awaiting, rejectionStops(state.sop, report.awaiting));
  }
  if (result.status === 'stalled') report.hint = stalledHint(state.resumeCommand, result.unhandled ?? []);
  if (result.status === 'budget_exhausted') {
    if (state.budgetStop) report.budget.stopped = { ...state.budgetStop, ...(state.budgetStop.estimateUsd === undefined ? {} : { estimateUsd: roundUsd(state.budgetStop.estimateUsd) }) };
    report.hint = budgetHint(state.resumeCommand, state.budgetStop, usage.limits.investment === undefined ? undefined : usage.limits.investment - report.costUsd, usage.tokenLimitReached());
  }
  // Saved at the last boundary: the same command goes on from there.
  if (result.status === 'interrupted') report.hint = `resume with: ${state.resumeCommand}`;
  if (result.status === 'round_limit') report.hint = roundLimitHint(state.resumeCommand, result.rounds, boundValue(sop.settings.nRound, state.inputs));
  // The offline model's note is for a check its placeholder failed, not for a person's rejection.
  if (result.status === 'gate_stopped') report.hint = gateStoppedHint(state.resumeCommand, state.offlineAnswered && [...state.gateStats.values()].some((gate) => gate.kind !== 'human' && gate.failed > 0));
  if (result.error) {
    report.error = { code: result.error.code, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) };
    const hint = failureHint(state.resumeCommand, result.error);
    if (hint !== undefined) report.hint = hint;
  }
  return report;
}

/**
 * The report of a run without an end, from its resume point (the journal's last clean boundary):
 * rounds committed, usage, cost, messages and artifacts up to there; with the resume point's
 * `answers`, the calls answered after them (`answeredAfter`). `now` times a running run; a killed
 * one took `workedMs` (`ResumePoint.workedMs`).
 */
export function reportSoFar(
  checkpoint: Checkpoint,
  facts: { status: 'running' | 'crashed'; version: string; model: string; now: Date; sopCommand?: string; answers?: readonly JournalEntry[]; workspaceFiles?: readonly string[] | undefined; workedMs?: number | undefined },
): RunReportSoFar {
  const { usage } = checkpoint;
  // Drafts gates rejected by the boundary (absent in journals of versions before 2026-12-06).
  const rejected = new Set(checkpoint.rejectedArtifacts);
  const report = shapeReport(
    {
      runId: checkpoint.runId,
      sop: { name: checkpoint.sop.name, version: facts.version, file: checkpoint.sop.displayPath, sha256: checkpoint.sop.sha256 },
      rounds: checkpoint.round,
      started: checkpoint.started,
      // A killed run worked until its last record (`workedMs`), not until now.
      durationMs: facts.status === 'crashed' && facts.workedMs !== undefined ? facts.workedMs : Math.max(0, facts.now.getTime() - Date.parse(checkpoint.started)),
      model: facts.model,
      models: Object.entries(usage.byModel),
      offline: checkpoint.offlineAnswered,
      workspace: checkpoint.workspace,
      messageCounts: checkpoint.messageCounts,
      usage: usage.total,
      byRole: Object.entries(usage.byRole),
      byAction: Object.entries(usage.byAction),
      artifacts: rejected.size > 0 ? checkpoint.artifacts.filter((file) => !rejected.has(file.path)) : checkpoint.artifacts,
    },
    { status: facts.status, exitCode: null },
  );
  if (rejected.size > 0) report.rejectedArtifacts = listed(checkpoint.artifacts.filter((file) => rejected.has(file.path)));
  // An incremental run's labels as its ledger has them at the boundary; deleted: the files of its journaled inventory gone now.
  if (checkpoint.options.workspaceChanges) {
    const recorded = new Map(checkpoint.artifacts.map((file) => [file.path, file]));
    report.workspaceChanges = workspaceChanges(report.artifacts.map((file) => recorded.get(file.path) ?? file), facts.workspaceFiles, checkpoint.workspace);
  }
  const after = answeredAfter(facts.answers ?? []);
  if (after) report.answeredAfter = after;
  // Killed: the same command as after Ctrl-C goes on from the boundary (an input recorded masked given again).
  if (facts.status === 'crashed') report.hint = `resume with: ${resumeCommand([checkpoint.runId, ...(checkpoint.maskedInputs ?? []).map((name) => `--input ${name}=...`)].join(' '), facts.sopCommand)}`;
  return report;
}

/** The `AnsweredAfter` of a journal's answers after its last committed round (`ResumePoint.answers`, or its `call-answered` lines); undefined for none. */
export function answeredAfter(answers: ReadonlyArray<Pick<JournalEntry, 'costUsd'> | Readonly<Record<string, unknown>>>): AnsweredAfter | undefined {
  if (answers.length === 0) return undefined;
  const costUsd = answers.reduce((sum, answer) => sum + (typeof answer.costUsd === 'number' ? answer.costUsd : 0), 0);
  return { calls: answers.length, costUsd: roundUsd(costUsd) };
}

/** What every report tells of a run, ended or not, from a live run's state or a journal's checkpoint alike. */
interface ReportedRun {
  runId: string;
  sop: RunReport['sop'];
  rounds: number;
  started: string;
  durationMs: number;
  model: string;
  /** Calls per model, in any order (the report sorts them). */
  models: Iterable<[string, number]>;
  offline: boolean;
  workspace: string;
  messageCounts: Record<string, number>;
  usage: UsageCount;
  byRole: Iterable<[string, UsageCount]>;
  byAction: Iterable<[string, UsageCount]>;
  artifacts: ReadonlyArray<{ path: string; sha256: string; bytes: number }>;
}

/** What only an ended run's report has; a report so far has its status alone (and no exit code yet). */
type Ending = Pick<RunReport, 'status' | 'exitCode'> & EndOnly;
type NoEnding = Pick<RunReportSoFar, 'status' | 'exitCode'>;
type EndOnly = Pick<RunReport, 'stoppedInRound' | 'ended' | 'budget' | 'gates'>;

/** Either report, as `shapeReport` makes it: every field of `RunReport` but the ending's, which are there when the run ended. */
type ShapedReport = Omit<RunReport, keyof Ending> & Pick<RunReport | RunReportSoFar, 'status' | 'exitCode'> & Partial<EndOnly>;

/**
 * The one place a report's fields are shaped and ordered (`report.json` is written in this order),
 * for `buildReport` and `reportSoFar` alike: a field added here is in both.
 */
function shapeReport(run: ReportedRun, ending: Ending): RunReport;
function shapeReport(run: ReportedRun, ending: NoEnding): RunReportSoFar;
function shapeReport(run: ReportedRun, ending: Pick<ShapedReport, 'status' | 'exitCode'> & Partial<EndOnly>): ShapedReport {
  const total = Object.values(run.messageCounts).reduce((sum, count) => sum + count, 0);
  const report: ShapedReport = {
    runId: run.runId,
    sop: run.sop,
    status: ending.status,
    exitCode: ending.exitCode,
    rounds: run.rounds,
    ...(ending.stoppedInRound === undefined ? {} : { stoppedInRound: ending.stoppedInRound }),
    started: run.started,
    ...(ending.ended === undefined ? {} : { ended: ending.ended }),
    durationMs: run.durationMs,
    model: run.model,
    models: Object.fromEntries([...run.models].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    offline: run.offline,
    workspace: run.workspace,
    messages: { total, byType: { ...run.messageCounts } },
    costUsd: roundUsd(run.usage.costUsd),
    costUnknown: run.usage.costUnknown,
    usage: { total: rounded(run.usage), byRole: copy(run.byRole), byAction: copy(run.byAction) },
    ...(ending.budget === undefined ? {} : { budget: ending.budget }),
    artifacts: listed(run.artifacts),
    ...(ending.gates === undefined ? {} : { gates: ending.gates }),
  };
  return report;
}

/**
 * Reports with more usage counts than this (per role plus per action) are written on one line: a
 * 1 -> 1000 -> 1 fan-out's is 305 KB instead of 516 KB indented, and takes a third less time to
 * write at the end of the run; people read those with `sop report` or `jq`.
 */
export const INDENTED_REPORT_MAX_COUNTS = 200;

/** Whether `report.json` is written on one line (see `INDENTED_REPORT_MAX_COUNTS`). */
export function compactReport(report: RunReport): boolean {
  const { byRole, byAction } = report.usage;
  let counts = 0;
  for (const map of [byRole, byAction]) for (const _key in map) if (++counts > INDENTED_REPORT_MAX_COUNTS) return true;
  return false;
}

/**
 * How to continue a run that awaits approval; `resume` the command that continues it (`sop resume ID`,
 * see `resumeCommand`). `rejectStops`: the one output's gate stops the run on a rejection (its
 * `on_fail` is `stop`, the default), so `--reject` is not offered as a way to a better output.
 */
export function approvalHint(resume: string, awaiting: readonly PendingApproval[] = [], rejectStops = false): string {
  if (awaiting.length > 1) {
    const one = quoteArgument(awaitedName(awaiting[0] as PendingApproval, awaiting));
    return `review the ${awaiting.length} outputs, then continue with \`${resume} --approve\` (all of them) or \`--reject "what to change"\` (each gate's \`on_fail\` then decides: revise with that feedback, route or stop); decide one with --gate: \`${resume} --approve --gate ${one}\``;
  }
  if (rejectStops) return `review the output, then continue with \`${resume} --approve\` or \`--edit FILE\`; \`--reject "why"\` ends the run (the gate has \`on_fail: stop\`; \`on_fail: { revise: N }\` would revise with the feedback)`;
  return `review the output, then continue with \`${resume} --approve\`, \`--reject "what to change"\` or \`--edit FILE\``;
}

/** Whether rejecting the one output awaiting approval stops the run: its gate's `on_fail` is `stop` (or not set). */
function rejectionStops(sop: ResolvedSop, awaiting: readonly PendingApproval[]): boolean {
  if (awaiting.length !== 1) return false;
  const [pending] = awaiting as [PendingApproval];
  const action = sop.roles.find((role) => role.id === pending.role)?.actions.find((candidate) => candidate.id === pending.action);
  const gate = action?.gates.find((candidate) => candidate.name === pending.gate);
  return gate !== undefined && (gate.onFail === undefined || gate.onFail === 'stop');
}

/**
 * What a stalled run's last messages lacked: a role acting on them, or a `stop_when` naming them
 * (a typo in a `watch` or a `when`, most often). Once the SOP is fixed, the run goes on from its
 * last boundary, those messages delivered anew.
 */
function stalledHint(resume: string, unhandled: ReadonlyArray<{ id: string; type: string; from: string }>): string {
  const shown = unhandled.slice(0, STALLED_SHOWN).map((message) => `${message.type} from ${message.from} (${message.id})`);
  if (unhandled.length > STALLED_SHOWN) shown.push(`${unhandled.length - STALLED_SHOWN} more`);
  const what = shown.length === 0 ? 'no message was left for a role to act on' : `no role acted on ${shown.join(', ')}`;
  return `${what}: a role must watch the type (and its action's \`when\` match it), or \`stop_when\` name it; fix the SOP, then continue with \`${resume} --allow-changed-sop\``;
}

/**
 * How to go on after a gate stopped the run: a plain resume would replay the same answers into the
 * same gate, so the SOP must change first (answers to requests it leaves as they were are replayed).
 */
export function gateStoppedHint(resume: string, offline = false): string {
  // The offline model's placeholder text fails a check of what a prompt asks for in words, however often it revises.
  const placeholder = offline ? ' (the offline model answered: its placeholder text follows a prompt\'s `## ` headings, not its words, see the README; a scripted answer, `--model script:FILE`, shows the gate pass)' : '';
  return `a gate stopped the run (its \`on_fail\`, or its revisions were spent): change the action's prompt or the gate, or let it revise (\`on_fail: { revise: N }\`); fix the SOP, then continue with \`${resume} --allow-changed-sop\`${placeholder}`;
}

/** Messages a stalled run's hint names; the rest are counted. */
const STALLED_SHOWN = 3;

/**
 * How to continue a run stopped by its round limit: a limit that leaves room for as many rounds
 * again as the SOP allows a run (the limit counts the rounds already run).
 */
function roundLimitHint(resume: string, rounds: number, sopRounds: number): string {
  return `resume with more rounds: ${resume} --n-round ${rounds + sopRounds} (the limit counts the ${rounds} already run)`;
}

/**
 * USD to 1e-10: sums of float costs differ in their last bits with the order calls finished in,
 * and a report must not depend on timing.
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** Artifacts as the report lists them, sorted by path: concurrent roles write in any order, the report must not depend on it. */
function listed(files: ReadonlyArray<{ path: string; sha256: string; bytes: number }>): RunReport['artifacts'] {
  return files.map((file) => ({ path: file.path, sha256: file.sha256, bytes: file.bytes })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Usage counts (a map, or a dictionary's entries) as the report's dictionary, costs rounded; one pass (a wide run has a count per role). */
function copy(counts: Iterable<[string, UsageCount]>): Record<string, UsageCount> {
  const out = dictionary<UsageCount>();
  for (const [key, count] of counts) out[key] = rounded(count);
  return out;
}

function rounded(count: UsageCount): UsageCount {
  return { ...count, costUsd: roundUsd(count.costUsd) };
}
