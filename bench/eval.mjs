// `sop eval`'s figures for `npm run bench` (issue #12): a 100-case dataset over the 5-step pipeline
// (W1) with the in-process model answering after 50 ms, `--concurrency 8`, against the ideal
// ceil(100 / 8) × 5 calls × 50 ms; and the overhead of one case (run, record, checks) at 0 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencyModel } from './lib/models.mjs';

const CASES = 100;
const CONCURRENCY = 8;
const CALLS_PER_CASE = 5;
const LATENCY_MS = 50;

/** Wall time of one eval of `cases` cases at `latency` ms per call, `concurrency` runs at a time (library, in process). */
async function timeEval(dist, scratch, sopFile, { cases, latency, concurrency }) {
  const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
  const [{ loadResolvedSop }, { createRuntime }, { parseDataset }, { EvalRecord }, { evaluate }, { SopLocator }] = await Promise.all([
    load('index.js'), load('providers/sop-runtime.js'), load('eval/dataset.js'), load('eval/eval-record.js'), load('eval/evaluate.js'), load('testing/sop-locations.js'),
  ]);
  const { sop } = await loadResolvedSop(sopFile);
  const text = ['apiVersion: sop-eval/v1', 'cases:', ...Array.from({ length: cases }, (_, i) => `  - { name: case ${i + 1}, inputs: { idea: "idea ${i + 1}" } }`)].join('\n');
  const dataset = parseDataset(text, 'bench.yaml', 'yaml');
  const dir = mkdtempSync(path.join(scratch, 'eval-'));
  const model = latencyModel(latency);
  const resolved = { model, modelName: 'bench', provider: 'bench', key: 'bench:bench' };
  const record = EvalRecord.create(path.join(dir, 'evals'), {
    schemaVersion: 1, evalId: 'bench', sop: sopFile, dataset: 'bench.yaml', datasetSha256: '', models: ['bench'], repeat: 1, runsDir: path.join(dir, 'runs'), started: new Date().toISOString(),
  });
  const context = {
    sop, cwd: dir, runsDir: path.join(dir, 'runs'), workspacesDir: path.join(dir, 'ws'), baseDir: dir, runtime: createRuntime(),
    locator: SopLocator.read(sopFile, sopFile), signal: new AbortController().signal,
    modelFor: () => ({ resolveModel: () => resolved, judge: resolved, modelOptions: {} }),
  };
  const start = performance.now();
  const result = await evaluate({ dataset, models: ['bench'], repeat: 1, concurrency, record, context });
  const wallMs = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  const summary = result.summary[0];
  if (summary.passed !== cases) throw new Error(`${cases - summary.passed} of ${cases} cases failed: ${JSON.stringify(result.runs.find((run) => !run.passed)?.failures)}`);
  return wallMs;
}

/** The eval figures: 100 cases at 50 ms with concurrency 8 against the ideal, and the overhead per case. */
export async function evalFigures({ dist, scratch, sopFile, quick }) {
  // Warm: the first eval compiles schemas and templates, as a long-lived process would have.
  await timeEval(dist, scratch, sopFile, { cases: 8, latency: 0, concurrency: 1 });
  const overheadCases = quick ? 20 : CASES;
  const overheadMs = (await timeEval(dist, scratch, sopFile, { cases: overheadCases, latency: 0, concurrency: 1 })) / overheadCases;
  const wallMs = await timeEval(dist, scratch, sopFile, { cases: CASES, latency: LATENCY_MS, concurrency: CONCURRENCY });
  const idealMs = Math.ceil(CASES / CONCURRENCY) * CALLS_PER_CASE * LATENCY_MS;
  return { wallMs, idealMs, overheadMs, cases: CASES, concurrency: CONCURRENCY };
}
