/**
 * `sop eval` as a library function: plan the runs, run what is left of them, sum the results up
 * (per model pass rate and interval, cost, latency), compare with a baseline, apply the threshold,
 * and keep the results in the eval record.
 */

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { jsonSyntaxProblem } from '../spec/json-syntax.js';
import { formatBytes, readCappedSync, unreadableFile } from '../spec/limits.js';
import { characterPosition, decodeUtf8Text } from '../spec/text-encoding.js';
import type { EvalDataset } from './dataset.js';
import type { EvalRecord } from './eval-record.js';
import type { CaseRunContext } from './case-run.js';
import { belowThreshold, compareWithBaseline, summarize, type CaseRun, type EvalResult } from './results.js';
import { planJobs, runEvalJobs } from './run-eval.js';

export interface EvalOptions {
  dataset: EvalDataset;
  /** The models every case runs on, as given (`--model`, the dataset's `models`). */
  models: string[];
  repeat: number;
  concurrency: number;
  maxCost?: number;
  /** Lowest pass rate a model may have (0..1). */
  threshold?: number;
  baseline?: { file: string; runs: CaseRun[] };
  record: EvalRecord;
  context: CaseRunContext;
  onRun?: (run: CaseRun, finished: number, planned: number) => void;
}

export async function evaluate(options: EvalOptions): Promise<EvalResult> {
  const jobs = planJobs(options.dataset.cases, options.models, options.repeat);
  let ran: Awaited<ReturnType<typeof runEvalJobs>>;
  try {
    ran = await runEvalJobs(jobs, {
      concurrency: options.concurrency,
      record: options.record,
      context: options.context,
      ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
      ...(options.onRun ? { onRun: options.onRun } : {}),
    });
  } finally {
    options.record.close();
  }
  const { runs, stopped } = ran;
  const summary = summarize(runs, options.models);
  const result: EvalResult = {
    schemaVersion: 1,
    evalId: options.record.spec.evalId,
    evalDir: options.record.dir,
    sop: { file: options.context.sop.displayPath, name: options.context.sop.name },
    dataset: options.dataset.file,
    models: options.models,
    repeat: options.repeat,
    runs,
    summary,
    ...(stopped ? { stopped } : {}),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    // An eval stopped early is not judged against the threshold: its pass rates are partial.
    belowThreshold: stopped ? [] : belowThreshold(summary, options.threshold),
    ...(options.baseline ? { baseline: compareWithBaseline(runs, options.baseline.runs, options.baseline.file) } : {}),
  };
  options.record.writeResults(result);
  return result;
}

/** The sha256 of the dataset files' contents (the dataset's, then the defaults'), to refuse a `--resume` after the dataset changed. */
export function datasetFingerprint(contents: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const bytes of contents) hash.update(bytes).update('\0');
  return hash.digest('hex');
}

/** The most a `--baseline` results file may be: thousands of runs' results are a few MB. */
const BASELINE_BYTES = 64 * 1024 * 1024;

/** The runs of a results file (`--out`, or `results.json` of an eval record) to compare with. */
export function readBaseline(given: string, cwd: string): { file: string; runs: CaseRun[] } {
  // An eval's record folder (`.sop/evals/ID`, as its last lines name it) stands for its results.json.
  const file = statSync(path.resolve(cwd, given), { throwIfNoEntry: false })?.isDirectory() ? path.join(given, 'results.json') : given;
  const hint = 'pass the results file of an earlier eval: --out results.json, or .sop/evals/<id>/results.json';
  // Read as the other files sop is given: capped (`/dev/zero` took 16 GB and was killed), a named pipe
  // nobody writes to given up on (it blocked for good, deaf to Ctrl-C), UTF-8 checked, JSON located.
  let bytes: Buffer | 'too-large';
  try {
    bytes = readCappedSync(path.resolve(cwd, file), BASELINE_BYTES);
  } catch (error) {
    const { code, why } = unreadableFile(error);
    const missing = code === 'FILE_NOT_FOUND';
    throw new SopError(missing ? 'FILE_NOT_FOUND' : 'USAGE', `cannot read baseline ${file}: ${missing && file !== given ? `${given} is a folder without one, not an eval's record` : why}`, { hint });
  }
  if (bytes === 'too-large') throw new SopError('USAGE', `cannot read baseline ${file}: it is endless or more than ${formatBytes(BASELINE_BYTES)}, more than an eval's results file holds`, { hint });
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) {
    const { message, line } = decoded.problem;
    throw new SopError('USAGE', `cannot read baseline ${file}${line === undefined ? '' : `:${line}:${decoded.problem.column}`}: ${message}`, { hint });
  }
  let data: unknown;
  try {
    data = JSON.parse(decoded.text);
  } catch (error) {
    const problem = jsonSyntaxProblem(decoded.text, 'the results');
    const at = problem && characterPosition(decoded.text, Math.min(problem.offset, decoded.text.trimEnd().length));
    throw new SopError('USAGE', `cannot read baseline ${file}${at ? `:${at.line}:${at.column}` : ''}: it is not JSON (${problem ? problem.message : (error as Error).message})`, { hint });
  }
  // The results file itself, or a `sop eval --json` envelope around it.
  const result = (data as { result?: unknown })?.result ?? data;
  const runs = (result as { runs?: unknown })?.runs;
  if ((result as { schemaVersion?: unknown })?.schemaVersion !== 1 || !Array.isArray(runs)) {
    throw new SopError('USAGE', `baseline ${file} is not the results of an eval (schemaVersion 1 with runs)`, {
      hint: 'pass the results file of an earlier eval: --out results.json, or .sop/evals/<id>/results.json',
    });
  }
  return { file, runs: runs as CaseRun[] };
}
