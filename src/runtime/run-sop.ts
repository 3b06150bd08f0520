import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { SopError, isSopError } from '../errors/index.js';
import { removeStaleTemporaries } from '../files/index.js';
import { asRunError } from './run-error.js';
import { SchemaValidators } from '../spec/index.js';
import { redactDeep, redactSecrets, registerSecrets } from '../providers/redact.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { RunLock, RunStore, Workspace, createRunId } from '../store/index.js';
import type { TeamSnapshot } from './checkpoint.js';
import { compiledFor } from './compiled.js';
import { approvalDecisions, givenApprovals } from './resume-approvals.js';
import { EventScope, isoTimestamps } from './event-recorder.js';
import type { RunEvent } from './events.js';
import { coerceInputs } from './inputs.js';
import { ReplayBook } from './replay-book.js';
import { RunRecorder } from './run-record.js';
import { RunModels, endpointUrl, fixedModelResolver, isOffline, plannedModelRefs, type ModelResolver, type ResolvedModel } from './models.js';
import { buildReport } from './report.js';
import type { RunState } from './run-state.js';
import { Semaphore } from './semaphore.js';
import { exitCodeFor } from './status.js';
import { systemPromptsFor } from './system-prompt.js';
import { checkToolCapableModels } from './tool-capable.js';
import { createRunToolbox } from './toolbox.js';
import { explicitWhenTypes, runTeam, type TeamResult } from './team.js';
import type { RunOptions, RunResult } from './types.js';
import { UsageTracker } from './usage.js';

/**
 * Runs an SOP to its end and records it under `<runsDir>/<run-id>/`. Run-time failures do not
 * throw: they end the run with status `failed` and the error, with the record on disk. Throws
 * (SopError) only for bad options, before anything is recorded: inputs, round limit, budget,
 * unusable folders (exit 2), model references `resolveModel` refuses (its error's code), and a
 * run folder another process holds (`RUN_LOCKED`, exit 13). The run holds its folder's lock
 * (`run.lock`) from its creation (or, resuming, before reading it) until it returns.
 */
export async function runSop(sop: ResolvedSop, options: RunOptions): Promise<RunResult> {
  const held: { lock?: RunLock } = {};
  try {
    return await runHoldingLock(sop, options, held);
  } finally {
    // Released on every way out; a lock the caller took (`sop resume`) is the caller's to release.
    if (held.lock !== options.resume?.lock) held.lock?.release();
  }
}

async function runHoldingLock(sop: ResolvedSop, options: RunOptions, held: { lock?: RunLock }): Promise<RunResult> {
  const resumed = options.resume?.checkpoint;
  const nRound = checkPositiveInteger(options.nRound, 'n-round') ?? resumed?.options.nRound ?? sop.settings.nRound;
  const investment = checkNonNegative(options.investment, 'investment') ?? resumed?.options.investment ?? sop.settings.investment;
  const inputs = resumed ? resumed.inputs : coerceInputs(sop.inputs, options.inputs ?? {});
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const now = options.now ?? ((): Date => new Date());
  const startedAt = resumed ? new Date(resumed.started) : now();
  const runId = resumed?.runId ?? options.runId ?? createRunId(startedAt);
  const secrets = options.secrets ?? [];
  if (secrets.length > 0) registerSecrets(secrets);
  // Masks keys in everything written; only runs that were given secrets pay for the walk.
  const redact = secrets.length > 0 ? <T>(value: T): T => redactDeep(value, redactSecrets) : <T>(value: T): T => value;
  const models = new RunModels(await modelResolver(options), sop.settings.model);
  // Every reference the SOP uses, resolved before anything runs: an unknown provider or an unset
  // key variable is reported now, not in round 5. The first is the run's main model.
  const planned = uniqueByKey(plannedModelRefs(sop).map((ref) => models.resolve(ref)));
  const main = planned[0] as ResolvedModel;
  checkToolCapableModels(sop, models);
  const workspace = openWorkspace(resumed ? resumed.workspace : path.resolve(cwd, options.workspace ?? path.join('workspace', sop.name)));
  // One process per run folder: a resume takes the lock before it reads the folder (unless its
  // caller already holds it); a new run as soon as its folder exists, for its whole life.
  if (options.resume) held.lock = options.resume.lock ?? RunLock.acquire(options.resume.runDir, 'resume');
  // The record's first files are written while the run starts; `store.finish` waits for them.
  const store = options.resume ? RunStore.reopen(options.resume.runDir, options.resume.position, options.durability) : RunStore.begin(path.resolve(cwd, options.runsDir ?? path.join('.sop', 'runs')), runId, {
    sopText: sopText(sop),
    runInfo: redact({
      id: runId,
      sop: { name: sop.name, version: sop.version, file: sop.displayPath, sha256: sop.sha256 },
      inputs,
      model: main.key,
      models: planned.map((model) => model.key),
      provider: main.provider,
      workspace: workspace.root,
      started: startedAt.toISOString(),
    }),
  }, options.durability);
  held.lock ??= RunLock.acquire(store.dir, 'run');
  // A run killed in the middle of a write (SIGKILL) left its temporary files: its resume removes them.
  if (options.resume) for (const folder of [workspace.root, store.dir]) removeStaleTemporaries(folder);

  const compiled = compiledFor(sop);
  const state: RunState = {
    sop,
    runId,
    inputs,
    workspace,
    compiled,
    validators: new SchemaValidators(),
    systemPrompts: systemPromptsFor(sop),
    models,
    // Provider events reach the run only from the registry (see routeProviderEvent).
    routeProviderEvents: options.model === undefined && options.resolveModel !== undefined,
    onDelta: options.onDelta,
    limiter: new Semaphore(sop.settings.maxConcurrency),
    usage: new UsageTracker({ maxTokens: sop.settings.maxTokens, investment }),
    signal: options.signal,
    now,
    explicitTypes: explicitWhenTypes(sop),
    actionRuns: new Map(),
    artifacts: new Map(),
    messagesById: new Map(),
    offlineAnswered: false,
    journal: store.journal.answers,
    toolbox: createRunToolbox(sop, workspace, compiled, options.mcpServers ?? sop.mcpServers),
    gateStats: new Map(),
    approvals: {
      approver: options.approve,
      decisions: approvalDecisions(resumed, options.resume?.decision),
      pending: [],
      journal: store.journal.approvals,
      given: options.resume ? givenApprovals(options.resume.approvals, options.resume.checkpoint.round) : new Map(),
    },
  };
  if (resumed) {
    state.usage.restore(resumed.usage);
    for (const [actionId, runs] of Object.entries(resumed.actionRuns)) state.actionRuns.set(actionId, runs);
    for (const file of resumed.artifacts) state.artifacts.set(file.path, file);
    for (const message of resumed.messages) state.messagesById.set(message.id, message);
    state.offlineAnswered = resumed.offlineAnswered;
    for (const stats of resumed.gateStats ?? []) state.gateStats.set(`${stats.action}/${stats.gate}`, { ...stats });
    state.replay = new ReplayBook(options.resume?.answers ?? [], resumed.round);
  }

  const listener = options.onEvent;
  const root = new EventScope(
    isoTimestamps(now),
    (event: RunEvent) => {
      // A failing progress display must not break the run.
      try {
        listener?.(event);
      } catch {
        // ignored
      }
    },
    secrets.length > 0 ? redact : undefined,
  );
  const recorder = new RunRecorder(
    store.journal,
    {
      runId,
      sop: { name: sop.name, file: sop.file, displayPath: sop.displayPath, sha256: sop.sha256 },
      inputs,
      workspace: workspace.root,
      started: startedAt.toISOString(),
      options: { nRound, investment: investment ?? null, model: options.modelOptions ?? resumed?.options.model ?? {} },
    },
    redact,
    resumed,
  );
  const flush = (): void => recorder.hold(root.drain());
  const checkpoint = (team: TeamSnapshot): void => recorder.commit(team, state);
  const clock = performance.now();
  if (resumed) {
    root.emit({
      type: 'run-resume',
      runId,
      round: resumed.round,
      checkpointSeq: resumed.eventSeq,
      journaled: state.replay?.size ?? 0,
      previousStatus: resumed.status,
      investment: investment ?? null,
      nRound,
    });
  } else root.emit({
    type: 'run-start',
    runId,
    sop: sop.name,
    version: sop.version,
    file: sop.displayPath,
    workspace: workspace.root,
    model: main.key,
    models: planned.map((model) => {
      const endpoint = endpointUrl(model);
      return { key: model.key, ...(endpoint === undefined ? {} : { endpoint }) };
    }),
    offline: planned.every(isOffline),
    inputs,
  });

  let result: TeamResult;
  try {
    result = await runTeam(state, root, { nRound, flush, checkpoint, ...(resumed ? { resume: resumed } : {}) });
  } catch (error) {
    result = { status: 'failed', error: asRunError(error), rounds: 0, messageCounts: {} };
  }
  const exitCode = exitCodeFor(result.status, result.error);
  const durationMs = Math.round(performance.now() - clock);
  const error = result.error ? { code: result.error.code, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) } : undefined;
  const report = redact(buildReport(state, result, { exitCode, modelName: main.key, started: startedAt, ended: now(), durationMs }));
  root.emit({
    type: 'run-end',
    status: result.status,
    exitCode,
    rounds: result.rounds,
    ...(error ? { error } : {}),
    ...(report.hint ? { hint: report.hint } : {}),
    costUsd: report.costUsd,
    durationMs,
  });
  await state.toolbox.close();
  // The last clean boundary stays the resume point; its final snapshot also says how the run ended.
  recorder.end(root.drain(), result.status, state.approvals.pending);
  await store.finish(report);
  return {
    runId,
    runDir: store.dir,
    workspace: workspace.root,
    status: result.status,
    exitCode,
    report,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** `options.model` (fixed), else `options.resolveModel`, else the built-in offline model for every call. */
async function modelResolver(options: RunOptions): Promise<ModelResolver> {
  if (options.model) return fixedModelResolver(options.model, options.modelName ?? 'offline');
  if (options.resolveModel) return options.resolveModel;
  const { createOfflineModel } = await import('../providers/offline/index.js');
  return fixedModelResolver(createOfflineModel(), 'offline');
}

function uniqueByKey(models: ResolvedModel[]): ResolvedModel[] {
  const seen = new Set<string>();
  return models.filter((model) => !seen.has(model.key) && Boolean(seen.add(model.key)));
}

function sopText(sop: ResolvedSop): string {
  if (sop.source !== undefined) return sop.source;
  try {
    return readFileSync(sop.file, 'utf8');
  } catch {
    return stringify(sop.document);
  }
}

function openWorkspace(folder: string): Workspace {
  try {
    return new Workspace(folder, { mask: redactSecrets });
  } catch (error) {
    if (isSopError(error)) throw error; // storage: names the folder and the cause
    throw new SopError('USAGE', `cannot use ${folder} as the workspace: ${(error as Error).message}`, { hint: 'pass --workspace with a folder you can write to' });
  }
}

function checkPositiveInteger(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new SopError('USAGE', `--${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

function checkNonNegative(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0) throw new SopError('USAGE', `--${name} must be a number of at least 0, got ${value}`);
  return value;
}
