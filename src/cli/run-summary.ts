import path from 'node:path';
import { shownPath } from '../files/shown-path.js';
import type { RunResult } from '../runtime/index.js';
import { usd } from '../providers/cost/estimate.js';
import { awaitedApprovals, type AwaitedApproval } from '../reporting/awaited-approvals.js';
import type { WorkspaceChanges } from '../runtime/workspace-changes.js';
import { plural } from '../errors/index.js';

/**
 * The lines printed after a run: status, rounds, messages, models and cost, artifacts (where), run
 * record, exit code (`cachedFrom`: where the answers without a live call came from, `the cassette` of a
 * `--replay` run). An incremental run's (`report.workspaceChanges`): each artifact labelled new,
 * changed or unchanged against the workspace before the run, and the files gone since.
 */
export function formatRunSummary(result: Pick<RunResult, 'runDir' | 'workspace' | 'status' | 'exitCode' | 'report'>, cwd: string = process.cwd(), cachedFrom = 'the cache'): string {
  const { report } = result;
  const changes = report.workspaceChanges;
  const lines = [statusLine(result.status, report)];
  const byType = Object.entries(report.messages.byType).map(([type, count]) => `${type} ${count}`);
  lines.push(`messages: ${report.messages.total}${byType.length > 0 ? ` (${byType.join(', ')})` : ''}`);
  const tokens = report.usage.total;
  if (tokens.calls > 0) {
    const models = Object.keys(report.models);
    const which = report.offline && models.length === 1 ? ', offline model' : models.length > 0 ? `, ${models.join(', ')}` : '';
    const extra = [
      tokens.cachedCalls > 0 ? `${tokens.cachedCalls} from ${cachedFrom}` : undefined,
      tokens.retries > 0 ? `${tokens.retries} retr${tokens.retries === 1 ? 'y' : 'ies'}` : undefined,
      tokens.reasks > 0 ? plural(tokens.reasks, 're-ask') : undefined,
    ].filter(Boolean);
    lines.push(`model calls: ${tokens.calls} (${tokens.promptTokens + tokens.completionTokens} tokens${tokens.estimated && !report.offline ? ', some estimated' : ''})${which}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`);
    if (!report.offline || report.costUsd > 0 || report.costUnknown) {
      const limit = report.budget.investment === null ? '' : ` of ${usd(report.budget.investment)}`;
      lines.push(`cost: ${usd(report.costUsd)}${limit}${report.costUnknown ? ' (plus calls to models without a known price)' : ''}`);
    }
  }
  const gates = Object.entries(report.gates);
  if (gates.length > 0) {
    lines.push(`gates: ${gates.map(([name, stats]) => `${name} ${stats.passed}/${stats.checks} passed`).join(', ')}`);
  }
  const label = (file: string): string => {
    const change = changes && CHANGES.find((each) => changes[each].includes(file));
    return change === undefined ? '' : ` (${change})`;
  };
  lines.push(`artifacts: ${report.artifacts.length} written to ${shownPath(result.workspace, cwd)}${changes ? changeCounts(changes) : ''}`);
  for (const artifact of report.artifacts.slice(0, 20)) lines.push(`  ${artifact.path}${label(artifact.path)}`);
  if (report.artifacts.length > 20) lines.push(`  ... and ${report.artifacts.length - 20} more`);
  const deleted = changes?.deleted ?? [];
  if (deleted.length > 0) {
    lines.push(`deleted: ${plural(deleted.length, 'file')} of the workspace gone since the run started`);
    for (const file of deleted.slice(0, 20)) lines.push(`  ${file}`);
    if (deleted.length > 20) lines.push(`  ... and ${deleted.length - 20} more`);
  }
  const pending = report.pendingArtifacts ?? [];
  if (pending.length > 0) {
    const one = pending.length === 1;
    lines.push(`pending: ${pending.length} not accepted (the run stopped while ${one ? 'its gate' : 'their gates'} checked ${one ? 'it' : 'them'}; ${one ? 'a draft' : 'drafts'} in the workspace, written anew by a resume)`);
    for (const artifact of pending.slice(0, 20)) lines.push(`  ${artifact.path}`);
    if (pending.length > 20) lines.push(`  ... and ${pending.length - 20} more`);
  }
  const rejected = report.rejectedArtifacts ?? [];
  if (rejected.length > 0) {
    const one = rejected.length === 1;
    lines.push(`rejected: ${rejected.length} by ${one ? 'its gate' : 'their gates'} (${one ? 'a draft' : 'drafts'} left in the workspace, not kept)`);
    for (const artifact of rejected.slice(0, 20)) lines.push(`  ${artifact.path}`);
    if (rejected.length > 20) lines.push(`  ... and ${rejected.length - 20} more`);
  }
  lines.push(`run record: ${shownPath(result.runDir, cwd)}`);
  lines.push(`exit code: ${result.exitCode}`);
  return lines.join('\n');
}

const CHANGES = ['new', 'changed', 'unchanged'] as const;

/** ` (2 new, 1 changed, 3 unchanged)`: the counts of an incremental run's artifacts, those that are not zero. */
function changeCounts(changes: WorkspaceChanges): string {
  const counts = CHANGES.filter((change) => changes[change].length > 0).map((change) => `${changes[change].length} ${change}`);
  return counts.length === 0 ? '' : ` (${counts.join(', ')})`;
}

/**
 * `status: completed after 3 rounds`; a run that stopped in the middle of a round says which, as
 * its progress did (`[round 1] ... FAILED`), and how many were completed: it said "after 0 rounds".
 */
function statusLine(status: string, report: Pick<RunResult['report'], 'rounds' | 'stoppedInRound'>): string {
  const completed = plural(report.rounds, 'round');
  if (report.stoppedInRound === undefined) return `status: ${status} after ${completed}`;
  return `status: ${status} in round ${report.stoppedInRound} (${completed} completed)`;
}

/**
 * What a run stopped for approval waits for, and how to continue it. The output under review is
 * named by the files written from it, as paths from `cwd` (the reader opens them from there, not
 * from the workspace); an output with none (a reply kept only as a message) has its first lines
 * printed, indented, since the hint asks the reader to review it before `--approve`.
 */
export function awaitingNote(result: Pick<RunResult, 'report' | 'workspace'>, cwd: string = process.cwd()): string {
  const { report } = result;
  const lines = awaitedApprovals(report.awaiting ?? []).map(
    (request) =>
      `awaiting approval: gate ${request.gate} (role ${request.role}, action ${request.action}${request.index === undefined ? '' : ` #${request.index}`}` +
      `${request.message === undefined ? '' : `, message ${request.message}`}): ${request.prompt}` +
      (request.files.length > 0 ? `\n  review: ${request.files.map((file) => shownPath(path.join(result.workspace, file), cwd)).join(', ')}` : `\n${outputUnderReview(request)}`),
  );
  if (report.hint) lines.push(`hint: ${report.hint}`);
  return lines.join('\n');
}

function outputUnderReview(request: AwaitedApproval): string {
  const shown = request.outputLines.map((line) => (line === '' ? '' : `    ${line}`));
  const more = request.outputCut ? ['    ... (the whole output is in the run\'s report.html)'] : [];
  return [`  review the ${request.outputType} it would publish:`, ...shown, ...more].join('\n');
}
