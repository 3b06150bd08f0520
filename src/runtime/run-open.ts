import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { SopError, isSopError } from '../errors/index.js';
import { removeStaleTemporaries } from '../files/index.js';
import { redactDeep, redactSecrets, registerSecrets } from '../providers/redact.js';
import { SchemaValidators } from '../spec/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { RunLock, RunStore, Workspace, createRunId } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import { compiledFor } from './compiled.js';
import { EventScope, isoTimestamps } from './event-recorder.js';
import type { RunEvent } from './events.js';
import { coerceInputs } from './inputs.js';
import { RunModels, endpointUrl, fixedModelResolver, isOffline, plannedModelRefs, type ModelResolver, type ResolvedModel } from './models.js';
import { ReplayBook } from './replay-book.js';
import { RunRecord, type RunFacts } from './run-record.js';
import { resolveRunSettings } from './run-settings.js';
import { restoreLedger, type RunState } from './run-state.js';
import { approvalDecisions, givenApprovals } from './resume-approvals.js';
import { Semaphore } from './semaphore.js';
import { TrackedMap } from './tracked-map.js';
import { emptyState, fromSnapshot, type SuperstepState } from './superstep/state.js';
import { systemPromptsFor } from './system-prompt.js';
import { checkToolCapableModels } from './tool-capable.js';
import { createRunToolbox } from './toolbox.js';
import type { RunOptions } from './types.js';
import { UsageTracker } from './usage.js';

/** A run ready to loop: a new one at its empty state, a resumed one at its recorded boundary. */
export interface OpenRun {
  state: RunState;
  core: SuperstepState;
  resumed: boolean;
  facts: RunFacts;
  store: RunStore;
  record: RunRecord;
  root: EventScope;
  /** The run's main model (the first one it uses). */
  main: ResolvedModel;
  redact: <T>(value: T) => T;
}

/**
 * Opens a run: every difference between a new run and a resumed one is decided here (where its
 * inputs, settings, folders and state come from), so the loop after it is the same for both.
 * Throws (SopError) only for bad options; takes the run folder's lock into `held`.
 */
export async function openRun(sop: ResolvedSop, options: RunOptions, held: { lock?: RunLock }): Promise<OpenRun> {
  const resumed: Checkpoint | undefined = options.resume?.checkpoint;
  const settings = resolveRunSettings(sop, options, resumed?.options);
  const inputs = resumed ? resumed.inputs : coerceInputs(sop.inputs, options.inputs ?? {});
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const now = options.now ?? ((): Date => new Date());
  const started = resumed ? new Date(resumed.started) : now();
  const runId = resumed?.runId ?? options.runId ?? createRunId(started);
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
  const store = options.resume
    ? RunStore.reopen(options.resume.runDir, options.resume.position, settings.durability)
    : RunStore.begin(path.resolve(cwd, options.runsDir ?? path.join('.sop', 'runs')), runId, {
        sopText: sopText(sop),
        runInfo: redact({
          id: runId,
          sop: { name: sop.name, version: sop.version, file: sop.displayPath, sha256: sop.sha256 },
          inputs,
          model: main.key,
          models: planned.map((model) => model.key),
          provider: main.provider,
          workspace: workspace.root,
          started: started.toISOString(),
        }),
      }, settings.durability);
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
    usage: new UsageTracker({ maxTokens: sop.settings.maxTokens, investment: settings.investment ?? undefined }),
    signal: options.signal,
    now,
    actionRuns: new TrackedMap(),
    artifacts: new TrackedMap(),
    offlineAnswered: false,
    journal: store.journal.answers,
    toolbox: createRunToolbox(sop, workspace, compiled, options.mcpServers ?? sop.mcpServers),
    gateStats: new TrackedMap(),
    approvals: {
      approver: options.approve,
      decisions: approvalDecisions(resumed, options.resume?.decision),
      pending: [],
      journal: store.journal.approvals,
      given: options.resume ? givenApprovals(options.resume.approvals, options.resume.checkpoint.round) : new Map(),
    },
  };
  const core = resumed ? fromSnapshot(resumed) : emptyState();
  if (resumed) {
    restoreLedger(state, core.ledger);
    state.replay = new ReplayBook(options.resume?.answers ?? [], resumed.round);
  }
  const root = new EventScope(isoTimestamps(now), safeListener(options.onEvent), secrets.length > 0 ? redact : undefined);
  const facts: RunFacts = { runId, sop, inputs, workspace: workspace.root, started, settings };
  const record = new RunRecord(store.journal, facts, redact, resumed);
  if (resumed) {
    const { nRound, investment } = settings;
    root.emit({ type: 'run-resume', runId, round: resumed.round, checkpointSeq: resumed.eventSeq, journaled: state.replay?.size ?? 0, previousStatus: resumed.status, investment, nRound });
  } else {
    root.emit({
      type: 'run-start',
      runId,
      sop: sop.name,
      version: sop.version,
      file: sop.displayPath,
      workspace: workspace.root,
      model: main.key,
      models: planned.map((model) => ({ key: model.key, ...optional('endpoint', endpointUrl(model)) })),
      offline: planned.every(isOffline),
      inputs,
    });
  }
  return { state, core, resumed: resumed !== undefined, facts, store, record, root, main, redact };
}

/** A failing progress display must not break the run. */
function safeListener(listener: ((event: RunEvent) => void) | undefined): (event: RunEvent) => void {
  return (event) => {
    try {
      listener?.(event);
    } catch {
      // ignored
    }
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
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
