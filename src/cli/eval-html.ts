import path from 'node:path';
import { writeFileAtomicSync } from '../files/index.js';
import type { Redactor } from '../providers/redact.js';
import { failureLine, ungradedRubrics, type EvalResult } from '../eval/results.js';
import { redactDeep } from '../providers/redact.js';
import { renderEvalPage, type EvalPageData } from '../reporting/html/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { REPORT_HTML, writeRunHtmlReport } from './html-report.js';

/**
 * After `sop eval`: each case run's `report.html` (the runs ran in process, through the library),
 * then the eval's own `report.html` in its record, a case × model table linking to them.
 * A run whose report cannot be built keeps its cell without a link and is named in the warnings.
 * No page is fsynced: they follow the eval's runs, recorded with durability `process` (no fsync);
 * a run's page is rebuilt from its journal with `sop report`.
 */
export async function writeEvalHtmlReport(result: EvalResult, options: { runsDir: string; sop: ResolvedSop; redact: Redactor }): Promise<{ file: string; warnings: string[] }> {
  const warnings: string[] = [];
  const reports = new Map<string, string>();
  for (const run of result.runs) {
    if (run.runId === undefined || reports.has(run.runId)) continue;
    const runDir = path.join(options.runsDir, run.runId);
    try {
      const written = await writeRunHtmlReport(runDir, { sop: options.sop, redact: options.redact, durable: false, ended: true });
      reports.set(run.runId, relativeHref(result.evalDir, written.file));
    } catch (error) {
      warnings.push(`no report.html for run ${run.runId}: ${(error as Error).message}`);
    }
  }
  const cases = [...new Set(result.runs.map((run) => run.case))];
  const data: EvalPageData = {
    evalId: result.evalId, sop: result.sop.name, dataset: result.dataset, models: result.models, cases,
    runs: result.runs.map((run) => ({
      case: run.case, model: run.model, repeat: run.repeat, passed: run.passed, skipped: run.skipped, status: run.status, score: run.score,
      costUsd: run.costUsd, latencyMs: run.latencyMs, failures: run.failures.map(failureLine), notGraded: ungradedRubrics(run),
      report: run.runId === undefined ? undefined : reports.get(run.runId),
    })),
    summary: result.summary.map((model) => ({ model: model.model, runs: model.runs, passed: model.passed, passRate: model.passRate, low: model.interval.low, high: model.interval.high, costUsd: model.costUsd, p50: model.latencyMs.p50, p95: model.latencyMs.p95 })),
    stopped: result.stopped ? `stopped (${result.stopped.reason}) after ${result.stopped.ran} of ${result.stopped.planned} runs` : undefined,
  };
  const file = path.join(result.evalDir, REPORT_HTML);
  writeFileAtomicSync(file, renderEvalPage(redactDeep(data, options.redact)), { durable: false });
  return { file, warnings };
}

/** `file` as a link from a page in `dir`: a relative URL, each name percent-encoded (a `#`, `%` or `?` in a folder's name would cut the link short). */
function relativeHref(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).map(encodeURIComponent).join('/');
}
