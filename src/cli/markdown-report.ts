import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSopError, SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import type { Redactor } from '../providers/redact.js';
import { formatStepSummary, RunCollector } from '../reporting/index.js';
import { annotationBase } from './annotation-base.js';
import type { RunEvent, RunReport, RunReportSoFar } from '../runtime/index.js';
import { resumeTarget } from '../runtime/resume-target.js';
import { readRunEvents, readRunInfo, RUN_FILES, runStanding } from '../store/index.js';
import type { HtmlReportResult } from './html-report.js';
import { hintForFolder } from './run-dir.js';

/**
 * `sop report RUN --out FILE.md`: the run's Markdown summary, the one a run under GitHub Actions
 * appends to its step summary (status, rounds, calls, cost, a table per role, the artifacts), built
 * from the ended run's `report.json` and its journal's events, for a pull request comment or a wiki.
 * A run without an end (`running`, or `crashed`, as `sop runs` tells it) has no report.json that is
 * its own: its summary is the report so far, from its journal's last clean boundary.
 */
export async function writeRunMarkdownReport(runDir: string, out: string, redact: Redactor, sopCommand: string): Promise<HtmlReportResult> {
  const standing = runStanding(runDir);
  const recorded = standing.status === 'running' || standing.status === 'crashed' ? await journalReport(runDir, standing.status, sopCommand) : endedReport(runDir, standing.status);
  // Named by its folder, as `sop runs` and `sop resume` name it: a copied folder's report names the run it was copied from;
  // and as `sop resume` finds it from here: by its folder's path when it is not in ./.sop/runs.
  const folder = path.basename(path.resolve(runDir));
  const target = resumeTarget(runDir, process.cwd());
  const forFolder = (hint: string): string => hintForFolder(hint, recorded.runId, runDir).replaceAll(` resume ${folder}`, ` resume ${target}`);
  const report: RunReport | RunReportSoFar = {
    ...recorded,
    runId: path.basename(path.resolve(runDir)),
    ...(recorded.hint === undefined ? {} : { hint: forFolder(recorded.hint) }),
    ...(recorded.error?.hint === undefined ? {} : { error: { ...recorded.error, hint: forFolder(recorded.error.hint) } }),
  };
  const collector = new RunCollector();
  for (const event of readRunEvents(runDir)) collector.onEvent(event as unknown as RunEvent);
  // The artifacts' folder as the step summary names it: relative to the checkout (`GITHUB_WORKSPACE`), else to
  // the working folder, when inside it; a summary posted as a comment does not show the runner's absolute paths.
  const cwd = process.cwd();
  const text = redact(formatStepSummary(report, collector.actionRuns, Object.keys(report.usage.byRole), annotationBase(process.env, cwd) ?? { root: cwd, cwd }));
  writeFileAtomicSync(out, text);
  const after = 'answeredAfter' in report ? report.answeredAfter : undefined;
  return { runId: report.runId, file: out, bytes: Buffer.byteLength(text), status: report.status, rounds: report.rounds, calls: report.usage.total.calls, costUsd: report.costUsd, ...(after ? { answeredAfter: after } : {}) };
}

/** The report so far of a run without an end: its resume point, the state its journal committed, and the calls answered after it. */
async function journalReport(runDir: string, status: 'running' | 'crashed', sopCommand: string): Promise<RunReportSoFar> {
  const { readResumePoint, reportSoFar } = await import('../runtime/index.js');
  let checkpoint;
  let answers;
  let workspaceFiles;
  let workedMs;
  try {
    ({ checkpoint, answers, workspaceFiles, workedMs } = readResumePoint(runDir));
  } catch (error) {
    if (!isSopError(error) || error.code !== 'RUN_NOT_RESUMABLE') throw error;
    throw new SopError('RUN_NOT_FOUND', `${runDir} has no round boundary in its journal yet (the run is ${status}): there is nothing to summarize`, {
      hint: 'the HTML report (--out FILE.html, or no --out) shows what the journal has',
    });
  }
  const info = readRunInfo(runDir) ?? {};
  const sop = info['sop'] as { version?: unknown } | undefined;
  return reportSoFar(checkpoint, { status, version: typeof sop?.version === 'string' ? sop.version : '', model: typeof info['model'] === 'string' ? info['model'] : '', now: new Date(), sopCommand, answers, workspaceFiles, workedMs });
}

function endedReport(runDir: string, status: string): RunReport {
  const file = path.join(runDir, RUN_FILES.report);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SopError('RUN_NOT_FOUND', `${runDir} has no report.json, though its journal says the run ended (${status}): the report was removed, or the run was killed while writing it`, {
      hint: 'the HTML report (--out FILE.html, or no --out) is built from the journal alone',
    });
  }
  try {
    return JSON.parse(text) as RunReport;
  } catch (error) {
    throw new SopError('FILE_UNREADABLE', `${file} is not JSON: ${(error as Error).message}`, { hint: 'the HTML report (--out FILE.html, or no --out) is built from the journal alone' });
  }
}
