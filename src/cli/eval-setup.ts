import path from 'node:path';
import { SopError, type Diagnostic } from '../errors/index.js';
import { shownPath } from '../files/shown-path.js';
import type { CaseRunContext } from '../eval/case-run.js';
import type { EvalDataset } from '../eval/dataset.js';
import { DEFAULT_EVALS_DIR } from '../eval/resume-command.js';
import type { EvalRecord, EvalSpec } from '../eval/eval-record.js';
import type { CaseRun, EvalResult } from '../eval/results.js';
import type { ResolvedModel } from '../runtime/models.js';
import type { ResolvedSop } from '../spec/resolved.js';

/**
 * The model label of an eval given no model: every call uses the model the SOP (or the configuration)
 * names. Not one model's name: the report says which models those are (`EvalSetup.sopModels`).
 */
const SOP_MODELS = 'sop models';

/** `SOP_MODELS` in the records and results of evals started before 2026-12-05: it read as a model named `default`. */
const LEGACY_SOP_MODELS = 'default';

/** The label of an eval given no model whose calls all go to the built-in offline model. */
const OFFLINE_LABEL = 'offline';

export interface EvalSetupFlags {
  sopFile?: string;
  dataset?: string;
  defaults?: string;
  models?: string[];
  judgeModel?: string;
  resume?: string;
  provider?: string;
  cache: boolean;
  cacheDir?: string;
  repeat?: number;
  /** `--evals-dir`; undefined when not given (the default, `.sop/evals`). */
  evalsDir?: string;
  runsDir: string;
  loadSop(file: string): Promise<{ sop: ResolvedSop; warnings: Diagnostic[] }>;
}

export interface EvalSetup {
  dataset: EvalDataset;
  models: string[];
  record: EvalRecord;
  /** Everything a run needs but the abort signal, which the command owns. */
  context: Omit<CaseRunContext, 'signal'>;
  /** The label standing for the SOP's own models (`SOP_MODELS`), if the eval has it, and the models its calls resolve to. */
  sopModels?: { label: string; keys: string[] };
  /** Whether the eval's model `label` stands for the SOP's own models rather than naming a model. */
  usesSopModels(label: string): boolean;
  /** What the dataset names that the SOP does not have: known before any run, told before the first. */
  mistakes: string[];
  /** The scripts' answers that can serve no call of the SOP, or break their output (`scriptMisfitWarnings`): told before the first run, as `sop validate` tells them. */
  answerMisfits: Diagnostic[];
  /** Configuration files under names sop does not read (`unreadConfigWarnings`): told before the first run, as `sop run` tells them. */
  unreadConfig: string[];
  /** Things to tell the user once, after the eval (models without a price, cache write failures). */
  warnings(): string[];
}

/**
 * What `sop eval` runs: a new eval (SOP, dataset, models) or a recorded one (`--resume ID`, whose
 * record names them all), the models on one shared runtime and one registry (one response cache),
 * every model checked before the first run.
 */
export async function prepareEval(flags: EvalSetupFlags): Promise<EvalSetup> {
  const cwd = process.cwd();
  const { EvalRecord } = await import('../eval/eval-record.js');
  let record: EvalRecord | undefined;
  if (flags.resume !== undefined) {
    refuseWithResume(flags);
    // Locked from here (refused, exit 13, while another process writes it); a refusal below leaves
    // it to the lock's exit hook, as the command ends then.
    record = EvalRecord.open(path.resolve(cwd, flags.evalsDir ?? DEFAULT_EVALS_DIR), flags.resume);
    if (record.spec.provider !== undefined) {
      if (flags.provider !== undefined) throw fixedWithResume(['--provider']);
      // The models are the record's, bare names included: resolved by the provider they started with.
      if (record.spec.provider !== null) flags = { ...flags, provider: record.spec.provider };
    }
  } else if (flags.sopFile === undefined || flags.dataset === undefined) {
    throw new SopError('USAGE', flags.sopFile === undefined ? 'missing the SOP file to evaluate' : 'missing --dataset', { hint: 'sop eval SOP.yaml --dataset cases.yaml (or --resume ID to continue an eval); see docs/eval.md' });
  }
  // A model given twice ran every case twice under one label: two identical columns, each run counted in both.
  const twice = flags.models?.find((model, index) => flags.models?.indexOf(model) !== index);
  if (twice !== undefined) {
    throw new SopError('USAGE', `--model ${twice} is given twice`, { hint: 'give each model once; --repeat N runs every case N times on each' });
  }
  const sopFile = record ? record.spec.sop : (flags.sopFile as string);
  // A resumed eval names its files as a fresh one does (relative to the current folder when inside
  // it): its record holds them absolute, which the step summary and each failure showed.
  const datasetFile = record ? shownPath(record.spec.dataset, cwd) : (flags.dataset as string);
  const recordedDefaults = record?.spec.defaults;
  const defaultsFile = record ? recordedDefaults && shownPath(recordedDefaults, cwd) : flags.defaults;
  const { dataset, fingerprint } = await readDataset(datasetFile, defaultsFile, cwd, record);
  const { sop } = await flags.loadSop(sopFile);
  // An input name written once for several cases (a CSV header cell, `defaults.inputs`) that the SOP
  // lacks refused each of their runs, every one failed with it: refused once, at the name.
  const lacking = (await import('../eval/case-inputs.js')).sharedInputNamesTheSopLacks(dataset, sop);
  if (lacking.length > 0) throw (await import('../eval/dataset.js')).invalid(lacking);
  const caseWarnings = (await import('../eval/case-fit.js')).casesThatMissTheSop(dataset, sop);
  const { SopLocator } = await import('../testing/sop-locations.js');
  const judgeModel = record ? record.spec.judgeModel : (flags.judgeModel ?? dataset.judgeModel);

  const { loadRunConfig } = await import('./model-choice.js');
  const config = await loadRunConfig({ cache: flags.cache, ...(flags.provider === undefined ? {} : { provider: flags.provider }), ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }) }, cwd, process.env);
  // A typo in the dataset's `judge_model` or `models` is refused at the value naming it, before any run.
  const { checkDatasetModels, checkJudgeModel } = await import('./dataset-models.js');
  if (!record) checkDatasetModels(dataset, config, { models: flags.models !== undefined, judgeModel: flags.judgeModel !== undefined });
  // The judge is resolved as a --model is: a typo in it is told here, naming where it came from.
  if (flags.judgeModel !== undefined) checkJudgeModel(config, flags.judgeModel, 'from --judge-model');
  else if (record && judgeModel !== undefined) checkJudgeModel(config, judgeModel, `(the judge model eval ${record.spec.evalId} started with)`);
  const { createRuntime } = await import('../providers/sop-runtime.js');
  const runtime = createRuntime();
  runtime.secrets.add(config.secrets());
  const { createModelRegistry } = await import('../providers/registry.js');
  const { scriptBesideSopHint } = await import('./script-beside-sop.js');
  const registry = createModelRegistry(config, {
    runtime,
    cwd,
    // A `--model script:FILE` written relative to the SOP is named with the path that works, as `sop run` names it.
    scriptPathHint: (file) => scriptBesideSopHint(file, cwd, sop.dir, (shown) => `--model script:${shown}`),
    ...(flags.cache ? {} : { noCache: true }),
    ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
  });
  const { plannedModelRefs, scriptedApprover } = await import('../runtime/index.js');
  const refs = plannedModelRefs(sop);
  // Given no model, the label says what answers: `offline` (as runs say) when every call of the SOP is the offline model's.
  const implicit = !record && flags.models === undefined && dataset.models === undefined;
  const models = record ? record.spec.models : (flags.models ?? dataset.models ?? [implicit && refs.every((ref) => registry.resolve(ref).key === OFFLINE_LABEL) ? OFFLINE_LABEL : SOP_MODELS]);
  // `--provider` with no bare model name among the runs' and judges' models changed nothing: refused, as `sop run` refuses it.
  if (!record) {
    const flagModels = models.map((model) => (model === SOP_MODELS || (implicit && model === OFFLINE_LABEL) ? undefined : model));
    const judged = dataset.cases.some((one) => one.judge.length > 0);
    await (await import('./model-choice.js')).refuseIdleProvider(config, sop, flags.provider, { flagModels, judgeModels: judged ? flagModels.map((model) => judgeModel ?? model) : [] });
  }
  const byModel = new Map<string, ReturnType<CaseRunContext['modelFor']>>();
  /** Every model the eval's runs and judges resolve to: their scripts are part of what the eval's results come from. */
  const resolved: ResolvedModel[] = [];
  const answerMisfits: Diagnostic[] = [];
  const usesSopModels = (label: string): boolean => label === SOP_MODELS || (record !== undefined && label === LEGACY_SOP_MODELS);
  const sopModelsLabel = models.find(usesSopModels);
  for (const model of models) {
    // The implicit `offline` label is the SOP's own models, not a --model: the judge stays the configuration's.
    const flagModel = usesSopModels(model) || (implicit && model === OFFLINE_LABEL) ? undefined : model;
    const resolveModel: ReturnType<CaseRunContext['modelFor']>['resolveModel'] = (ref) => registry.resolve(ref, flagModel);
    // Resolved now: an unknown provider, an unset `${env:NAME}` or a missing API key fails before the first run.
    const scripted = refs.map((ref) => resolveModel(ref).scripted).find((found) => found !== undefined);
    for (const ref of refs) registry.requireKey(ref, flagModel);
    const judge = registry.resolve(undefined, judgeModel ?? flagModel);
    resolved.push(...refs.map(resolveModel), judge);
    // A script's answers that can serve no call of the SOP (a typo) are named, as `sop run` does;
    // its judge answers, against the rubrics it judges (none when the judge is another model).
    if (scripted) {
      const rubrics = judge.scripted?.script.file === scripted.script.file ? dataset.cases.flatMap((one) => one.judge.map((rubric) => rubric.of)) : [];
      answerMisfits.push(...(await import('../runtime/script-fit.js')).scriptMisfitWarnings(scripted.script, sop, { evalJudging: { rubrics } }));
    }
    if (dataset.cases.some((one) => one.judge.length > 0)) registry.requireKey(undefined, judgeModel ?? flagModel);
    const modelOptions = { cache: flags.cache, ...(flagModel === undefined ? {} : { model: flagModel }), ...(flags.provider === undefined ? {} : { provider: flags.provider }), ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }) };
    byModel.set(model, { resolveModel, judge, modelOptions, ...(scripted ? { approve: scriptedApprover(scripted) } : {}) });
  }

  // `${env:NAME}` values (MCP servers, HTTP tools' headers) are read now, so a missing one stops the eval before its first run.
  const fromEnv = (await import('./run-environment.js')).runEnvironment(sop, process.env);

  const { sopFileDigests } = await import('../spec/referenced-files.js');
  const { scriptDigests } = await import('../runtime/sop-digests.js');
  const digests = { sha256: sop.sha256, files: sopFileDigests(sop), scripts: scriptDigests(resolved) };
  if (record) await refuseChangedSop(record, sop, digests);
  else {
    const files = { sopFile, datasetFile, ...(defaultsFile === undefined ? {} : { defaultsFile }) };
    record = await createRecord(flags, cwd, files, { datasetSha256: fingerprint, sop, digests, models, ...(judgeModel === undefined ? {} : { judgeModel }) });
  }
  return {
    dataset,
    models,
    record,
    context: {
      sop,
      cwd,
      runsDir: record.spec.runsDir,
      workspacesDir: path.join(record.dir, 'workspaces'),
      baseDir: path.dirname(path.resolve(cwd, datasetFile)),
      locator: SopLocator.read(path.resolve(cwd, sopFile), sop.displayPath),
      runtime,
      fromEnv,
      modelFor: (model) => byModel.get(model) as ReturnType<CaseRunContext['modelFor']>,
    },
    ...(sopModelsLabel === undefined ? {} : { sopModels: { label: sopModelsLabel, keys: [...new Set(refs.map((ref) => registry.resolve(ref).key))] } }),
    usesSopModels,
    mistakes: caseWarnings,
    answerMisfits,
    unreadConfig: await (await import('./unread-config.js')).unreadConfigWarnings(config, cwd),
    warnings: () => [...config.inlineSecretWarnings(), ...registry.warnings()],
  };
}

/**
 * The dataset (with its --defaults file) and the sha256 of their bytes. A resumed eval refuses a
 * dataset changed since it started.
 */
async function readDataset(datasetFile: string, defaultsFile: string | undefined, cwd: string, record: EvalRecord | undefined): Promise<{ dataset: EvalDataset; fingerprint: string }> {
  const { loadDataset } = await import('../eval/dataset.js');
  const { datasetFingerprint } = await import('../eval/evaluate.js');
  // Fingerprinted from the bytes parsed: read again, a named pipe (`--dataset` a FIFO) hung the eval.
  const read = new Map<string, Buffer>();
  const dataset = loadDataset(datasetFile, cwd, defaultsFile, (file, bytes) => read.set(file, bytes));
  const fingerprint = datasetFingerprint((defaultsFile === undefined ? [datasetFile] : [datasetFile, defaultsFile]).map((file) => read.get(file) as Buffer));
  if (record && record.spec.datasetSha256 !== fingerprint) {
    // One sha256 covers the dataset and its defaults file: either may be the one that changed.
    const changed = defaultsFile === undefined ? `dataset ${datasetFile}` : `dataset ${datasetFile} or its --defaults file ${defaultsFile}`;
    throw new SopError('RUN_NOT_RESUMABLE', `${changed} changed since eval ${record.spec.evalId} started`, {
      hint: 'restore it as it was to continue this eval, or start a new eval with the change (answers already paid for come from the response cache)',
    });
  }
  return { dataset, fingerprint };
}

/** The digests of the SOP, its files and the scripts of the eval's models. */
interface EvalDigests {
  sha256: string;
  files: NonNullable<EvalSpec['sopFiles']>;
  scripts: NonNullable<EvalSpec['scripts']>;
}

/** As `sop resume` refuses a run's changed SOP: one eval's results all come from one SOP, its files and scripts. */
async function refuseChangedSop(record: EvalRecord, sop: ResolvedSop, digests: EvalDigests): Promise<void> {
  const { spec } = record;
  if (spec.sopSha256 === undefined) return;
  const recorded = { name: sop.name, file: sop.file, displayPath: sop.displayPath, sha256: spec.sopSha256, ...(spec.sopFiles ? { files: spec.sopFiles } : {}), ...(spec.scripts ? { scripts: spec.scripts } : {}) };
  const changed = (await import('./changed-sop-files.js')).changedSopFiles(recorded, digests);
  if (changed) {
    throw new SopError('RESUME_SOP_CHANGED', `${changed.names} changed since eval ${spec.evalId} started${changed.details}`, {
      hint: 'restore it as it was to continue this eval, or start a new eval with the change (answers already paid for come from the response cache)',
    });
  }
}

/** A new eval's record under --evals-dir, naming what it runs (paths absolute). */
async function createRecord(
  flags: EvalSetupFlags,
  cwd: string,
  files: { sopFile: string; datasetFile: string; defaultsFile?: string },
  facts: { datasetSha256: string; sop: ResolvedSop; digests: EvalDigests; models: string[]; judgeModel?: string },
): Promise<EvalRecord> {
  const { EvalRecord } = await import('../eval/eval-record.js');
  const { createRunId } = await import('../store/index.js');
  const { namingFlag } = await import('../files/index.js');
  const started = new Date();
  const spec: EvalSpec = {
    schemaVersion: 1,
    evalId: createRunId(started),
    sop: path.resolve(cwd, files.sopFile),
    dataset: path.resolve(cwd, files.datasetFile),
    ...(files.defaultsFile === undefined ? {} : { defaults: path.resolve(cwd, files.defaultsFile) }),
    datasetSha256: facts.datasetSha256,
    sopSha256: facts.sop.sha256,
    sopFiles: facts.digests.files,
    scripts: facts.digests.scripts,
    models: facts.models,
    repeat: flags.repeat ?? 1,
    ...(facts.judgeModel === undefined ? {} : { judgeModel: facts.judgeModel }),
    provider: flags.provider ?? null,
    runsDir: path.resolve(cwd, flags.runsDir),
    started: started.toISOString(),
  };
  try {
    return EvalRecord.create(path.resolve(cwd, flags.evalsDir ?? DEFAULT_EVALS_DIR), spec, () => createRunId(new Date()));
  } catch (error) {
    // The default folder is named by its path alone: "--evals-dir:" named a flag the user never gave.
    throw namingFlag(error, '--evals-dir', flags.evalsDir !== undefined);
  }
}

/**
 * A baseline whose runs on the SOP's own models are labelled `default` (results of evals before
 * 2026-12-05), with that label as this eval's (`label`): compared as the same model, not as one
 * removed and one added.
 */
export function sopModelsRenamed<T extends { runs: CaseRun[] }>(baseline: T, label: string | undefined): T {
  if (label === undefined || label === LEGACY_SOP_MODELS || baseline.runs.some((run) => run.model === label)) return baseline;
  return { ...baseline, runs: baseline.runs.map((run) => (run.model === LEGACY_SOP_MODELS ? { ...run, model: label } : run)) };
}

/** What an eval record fixes: given again with `--resume`, it is refused rather than ignored. */
function refuseWithResume(flags: EvalSetupFlags): void {
  const given = [
    flags.sopFile === undefined ? undefined : 'the SOP file',
    flags.dataset === undefined ? undefined : '--dataset',
    flags.defaults === undefined ? undefined : '--defaults',
    flags.models === undefined ? undefined : '--model',
    flags.judgeModel === undefined ? undefined : '--judge-model',
    flags.repeat === undefined ? undefined : '--repeat',
  ].filter((name): name is string => name !== undefined);
  if (given.length > 0) throw fixedWithResume(given);
}

function fixedWithResume(given: string[]): SopError {
  return new SopError('USAGE', `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} fixed when the eval started: --resume continues it as it was`, {
    hint: 'resume with only --resume ID (and --concurrency, --max-cost, --threshold, --baseline, --out, --junit); to change them, start a new eval',
  });
}

/** The results file (`--out`) and the JUnit report (`--junit`), when asked for; the ones that could not be written are returned, each naming its flag. */
export async function writeEvalFiles(result: EvalResult, files: { out?: string; junit?: string }): Promise<SopError[]> {
  const { writeFlagFile } = await import('./output-file.js');
  const failures: Array<SopError | undefined> = [];
  if (files.out !== undefined) failures.push(await writeFlagFile('--out', files.out, `${JSON.stringify(result, null, 2)}\n`));
  if (files.junit !== undefined) failures.push(await writeFlagFile('--junit', files.junit, (await import('../eval/eval-junit.js')).formatEvalJunit(result)));
  return failures.filter((failure) => failure !== undefined);
}
