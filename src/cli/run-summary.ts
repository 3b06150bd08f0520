import path from 'node:path';
import type { RunResult } from '../runtime/index.js';

/** The lines printed after a run: status, rounds, messages, artifacts (where), run record, exit code. */
export function formatRunSummary(result: Pick<RunResult, 'runDir' | 'workspace' | 'status' | 'exitCode' | 'report'>, cwd: string = process.cwd()): string {
  const { report } = result;
  const lines = [`status: ${result.status} after ${report.rounds} round${report.rounds === 1 ? '' : 's'}`];
  const byType = Object.entries(report.messages.byType).map(([type, count]) => `${type} ${count}`);
  lines.push(`messages: ${report.messages.total}${byType.length > 0 ? ` (${byType.join(', ')})` : ''}`);
  const tokens = report.usage.total;
  if (tokens.calls > 0) lines.push(`model calls: ${tokens.calls} (${tokens.promptTokens + tokens.completionTokens} tokens)${report.offline ? ', offline model' : ''}`);
  lines.push(`artifacts: ${report.artifacts.length} written to ${shown(result.workspace, cwd)}`);
  for (const artifact of report.artifacts.slice(0, 20)) lines.push(`  ${artifact.path}`);
  if (report.artifacts.length > 20) lines.push(`  ... and ${report.artifacts.length - 20} more`);
  lines.push(`run record: ${shown(result.runDir, cwd)}`);
  lines.push(`exit code: ${result.exitCode}`);
  return lines.join('\n');
}

/** Relative to the working folder when inside it, else absolute. */
function shown(target: string, cwd: string): string {
  const relative = path.relative(cwd, target);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : target;
}
