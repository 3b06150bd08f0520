import type { RunState } from './run-state.js';
import type { TeamResult } from './team.js';
import type { RunReport } from './types.js';
import type { UsageCount } from './usage.js';

/** `report.json`: the run's outcome, counts, usage and artifacts. */
export function buildReport(
  state: RunState,
  result: TeamResult,
  facts: { exitCode: number; modelName: string; started: Date; ended: Date; durationMs: number },
): RunReport {
  const { sop } = state;
  const total = Object.values(result.messageCounts).reduce((sum, count) => sum + count, 0);
  const copy = (map: Map<string, UsageCount>): Record<string, UsageCount> =>
    Object.fromEntries([...map].map(([key, count]) => [key, { ...count }]));
  const report: RunReport = {
    runId: state.runId,
    sop: { name: sop.name, version: sop.version, file: sop.displayPath, sha256: sop.sha256 },
    status: result.status,
    exitCode: facts.exitCode,
    rounds: result.rounds,
    started: facts.started.toISOString(),
    ended: facts.ended.toISOString(),
    durationMs: facts.durationMs,
    model: facts.modelName,
    offline: state.offlineAnswered || state.model.provider === 'offline',
    workspace: state.workspace.root,
    messages: { total, byType: { ...result.messageCounts } },
    usage: { total: { ...state.usage.total }, byRole: copy(state.usage.byRole), byAction: copy(state.usage.byAction) },
    // Sorted by path: concurrent roles write in any order, the report must not depend on it.
    artifacts: [...state.artifacts.values()]
      .map((file) => ({ path: file.path, sha256: file.sha256, bytes: file.bytes }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  if (result.error) {
    report.error = { code: result.error.code, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) };
  }
  return report;
}
