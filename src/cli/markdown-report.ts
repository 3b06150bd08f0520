import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import type { Redactor } from '../providers/redact.js';
import { formatStepSummary, RunCollector } from '../reporting/index.js';
import type { RunEvent, RunReport } from '../runtime/index.js';
import { readRunEvents, RUN_FILES } from '../store/index.js';
import type { HtmlReportResult } from './html-report.js';
import { hintForFolder } from './run-dir.js';

/**
 * `sop report RUN --out FILE.md`: the run's Markdown summary, the one a run under GitHub Actions
 * appends to its step summary (status, rounds, calls, cost, a table per role, the artifacts), built
 * from the ended run's `report.json` and its journal's events, for a pull request comment or a wiki.
 */
export function writeRunMarkdownReport(runDir: string, out: string, redact: Redactor): HtmlReportResult {
  // Named by its folder, as `sop runs` and `sop resume` name it: a copied folder's report names the run it was copied from.
  const recorded = endedReport(runDir);
  const forFolder = (hint: string): string => hintForFolder(hint, recorded.runId, runDir);
  const report: RunReport = {
    ...recorded,
    runId: path.basename(path.resolve(runDir)),
    ...(recorded.hint === undefined ? {} : { hint: forFolder(recorded.hint) }),
    ...(recorded.error?.hint === undefined ? {} : { error: { ...recorded.error, hint: forFolder(recorded.error.hint) } }),
  };
  const collector = new RunCollector();
  for (const event of readRunEvents(runDir)) collector.onEvent(event as unknown as RunEvent);
  const text = redact(formatStepSummary(report, collector.actionRuns, Object.keys(report.usage.byRole)));
  writeFileAtomicSync(out, text);
  return { runId: report.runId, file: out, bytes: Buffer.byteLength(text), status: report.status };
}

function endedReport(runDir: string): RunReport {
  const file = path.join(runDir, RUN_FILES.report);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SopError('RUN_NOT_FOUND', `${runDir} has no report.json: the run has not ended (it is running, or it crashed)`, {
      hint: 'resume a crashed run (`sop resume RUN`) and report it once it ends; the HTML report (--out FILE.html, or no --out) shows a run that has not ended',
    });
  }
  try {
    return JSON.parse(text) as RunReport;
  } catch (error) {
    throw new SopError('FILE_UNREADABLE', `${file} is not JSON: ${(error as Error).message}`, { hint: 'the HTML report (--out FILE.html, or no --out) is built from the journal alone' });
  }
}
