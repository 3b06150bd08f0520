import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import type { ChatModel } from '../providers/chat-model.js';
import type { SecretMask } from '../providers/redact.js';
import { createRuntime } from '../providers/sop-runtime.js';
import { SchemaValidators } from '../spec/json-schemas.js';
import { sopFileDigests } from '../spec/referenced-files.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { fileTree, lockWorkspace, noteRunningCommand, Workspace, type RunLock, type RunStore } from '../store/index.js';
import { compiledFor } from './compiled.js';
import { EventScope, isoTimestamps } from './event-recorder.js';
import type { RunEvent } from './events.js';
import { RunModels, endpointUrl, fixedModelResolver, isOffline, plannedModelRefs, type ModelResolver, type ResolvedModel } from './models.js';
import { maskedInputsOf } from './masked-inputs.js';
import { isSecretInput } from './inputs.js';
import { resumeCommand, resumeTarget } from './resume-target.js';
import { RunRecord, type RunFacts } from './run-record.js';
import { newRunStart, resumedStart, sopText, type RunInfo } from './run-start.js';
import { scriptDigests, sopChanges } from './sop-digests.js';
import { restoreLedger, type RunState } from './run-state.js';
import { Semaphore } from '../providers/semaphore.js';
import type { SuperstepState } from './superstep/state.js';
import { systemPromptsFor } from './system-prompt.js';
import { checkToolCapableModels } from './tool-capable.js';
import { createRunToolbox } from './toolbox.js';
import { TrackedMap } from './tracked-map.js';
import { TrackedSet } from './tracked-set.js';
import type { RunOptions } from './types.js';
import { UsageTracker } from './usage.js';
import { listWorkspaceFiles } from './workspace-changes.js';

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

/** The locks a run holds until it returns: its run folder's and its workspace's. */
export interface HeldLocks {
  lock?: RunLock;
  workspace?: RunLock;
}

/**
 * Opens a run from where it starts (`RunStart`: new or resumed), so the loop after it is the same
 * for both. Throws (SopError) only for bad options; takes the workspace's and the run folder's
 * locks into `held`.
 */
export async function openRun(sop: ResolvedSop, options: RunOptions, held: HeldLocks): Promise<OpenRun> {
  const now = options.now ?? ((): Date => new Date());
  const runtime = options.runtime ?? createRuntime();
  runtime.secrets.add(options.secrets ?? []);
  runtime.secrets.showAsIs(options.shownAsIs ?? []);
  const start = options.resume ? resumedStart(sop, options, options.resume, runtime.secrets) : newRunStart(sop, options, path.resolve(options.cwd ?? process.cwd()), now);
  // An input named like a secret (`api_key`) is one: masked in the record, given again to a resume.
  if (!options.resume) runtime.secrets.add(secretNamedInputValues(sop, start.inputs));
  // Masks keys in everything written; only runs with secrets to mask pay for the walk.
  const redact = <T>(value: T): T => runtime.secrets.maskDeep(value);
  const models = new RunModels(await modelResolver(options), sop.settings.model);
  // Every reference the SOP uses, resolved before anything runs: an unknown provider or an unset
  // key variable is reported now, not in round 5. The first is the run's main model.
  const planned = uniqueByKey(plannedModelRefs(sop).map((ref) => models.resolve(ref)));
  const main = planned[0] as ResolvedModel;
  checkToolCapableModels(sop, models);
  const workspace = openWorkspace(start.workspace, runtime.secrets, options.durableWorkspace !== false);
  const info: RunInfo = {
    main,
    models: planned.map((model) => ({ key: model.key, ...optional('endpoint', endpointUrl(model)) })),
    offline: planned.every(isOffline),
    workspace: workspace.root,
  };
  const store = start.openStore(held, info, redact);
  try {
    // Held before anything is written to it; a run refused here leaves no run folder behind.
    held.workspace = lockWorkspace(start.runsDir, workspace.root, held.lock as RunLock);
  } catch (error) {
    start.abandon(store);
    throw error;
  }
  // Before anything is written to it: the report lists the files gone since (names only, nothing
  // read). Journaled with the run's first lines, so a resume lists them against the same inventory.
  const workspaceFiles = !start.settings.workspaceChanges ? undefined : options.resume ? options.resume.workspaceFiles : listWorkspaceFiles(workspace.root);
  if (workspaceFiles && !options.resume) store.journal.alsoStartWith({ type: 'workspace-files', files: fileTree(redact(workspaceFiles)) });
  start.prepareWorkspace(workspace);
  const scripts = scriptDigests(planned);
  // A resume that goes on with another SOP or script than the run's record (`--allow-changed-sop`) records it.
  const changed = start.recorded !== undefined && sopChanges(start.recorded.sop, { sha256: sop.sha256, files: sopFileDigests(sop), scripts }).length > 0;
  const sopResumed = changed ? now().toISOString() : start.recorded?.sop.resumed;
  const facts: RunFacts = { runId: start.runId, sop, inputs: start.inputs, workspace: workspace.root, started: start.started, settings: start.settings, scripts, sopResumed };
  const usage = new UsageTracker({ maxTokens: sop.settings.maxTokens, investment: start.settings.investment ?? undefined });
  const record = new RunRecord(store.journal, facts, redact, start.recorded, usage);
  if (changed) record.recordChangedSop(start.recorded?.sop.sha256 === sop.sha256 ? undefined : sopText(sop));
  const compiled = compiledFor(sop);
  const state: RunState = {
    sop,
    runId: start.runId,
    resumeCommand: resumeCommand(options.runRef ?? localResumeRef(resumeTarget(store.dir, path.resolve(options.cwd ?? process.cwd())), maskedInputsOf(sop, start.inputs, redact)), options.sopCommand),
    inputs: start.inputs,
    workspace,
    compiled,
    validators: new SchemaValidators(),
    systemPrompts: systemPromptsFor(sop),
    models,
    runtime,
    onDelta: options.onDelta,
    eventPrompts: options.eventPrompts === true,
    revisionPrompt: start.settings.revisionPrompt,
    limiter: new Semaphore(sop.settings.maxConcurrency),
    usage,
    signal: options.drain && options.signal ? AbortSignal.any([options.signal, options.drain]) : (options.drain ?? options.signal),
    callSignal: options.signal,
    noteCommand: (pid, argv) => noteRunningCommand(store.dir, pid, argv, redact(argv)),
    now,
    threads: start.core.threads,
    actionRuns: new TrackedMap(),
    artifacts: new TrackedMap(),
    undecidedArtifacts: new Set(),
    rejectedArtifacts: new TrackedSet(),
    ...(start.settings.workspaceChanges ? { workspaceChanges: true as const } : {}),
    ...(workspaceFiles ? { workspaceFiles } : {}),
    ...(start.settings.workspaceChanges ? { firstWriteJournal: record.firstWrites } : {}),
    ...(options.resume?.firstWrites ? { firstWrites: options.resume.firstWrites } : {}),
    offlineAnswered: false,
    journal: record.answers,
    ...(start.replay ? { replay: start.replay } : {}),
    toolbox: createRunToolbox(sop, workspace, compiled, options.mcpServers ?? sop.mcpServers, options.httpToolEnv, runtime.secrets.mask),
    gateStats: new TrackedMap(),
    approvals: { approver: options.approve, decisions: start.decisions, pending: [], journal: record.approvals, given: start.given },
  };
  restoreLedger(state, start.core.ledger);
  const root = new EventScope(isoTimestamps(options.now ? () => now().getTime() : Date.now), safeListener(options.onEvent), redact);
  root.emit(start.firstEvent(info));
  return { state, core: start.core, resumed: start.recorded !== undefined, facts, store, record, root, main, redact };
}

/** A failing progress display must not break the run. */
function safeListener(listener: ((event: RunEvent) => void) | undefined): (event: RunEvent) => void {
  return (event) => {
    try {
      const returned: unknown = listener?.(event);
      // An async listener's rejection is ignored too: left unhandled, it would end the caller's process.
      if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') Promise.resolve(returned).catch(() => undefined);
    } catch {
      // ignored
    }
  };
}

/**
 * `options.model` as a JavaScript caller may give it: a model name (`'openai:gpt-4o'`) or an object
 * without `complete`. Refused before the run starts, not failed at its first call as a provider.
 */
function checkChatModel(model: unknown): void {
  const candidate = model as Partial<ChatModel> | null;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.complete === 'function' && typeof candidate.provider === 'string') return;
  const what = typeof model === 'string' ? `the text ${JSON.stringify(model)}` : typeof candidate?.complete !== 'function' ? 'an object without a complete(request) function' : 'an object without a provider name';
  throw new SopError('USAGE', `options.model is ${what}, not a ChatModel`, {
    hint: 'give an object with provider, capabilities and complete(request); for a configured model by name, pass resolveModel: (ref) => registry.resolve(ref, NAME) (docs/library.md)',
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `options.model` (fixed), else `options.resolveModel`, else the built-in offline model for every call. */
async function modelResolver(options: RunOptions): Promise<ModelResolver> {
  if (options.model) {
    checkChatModel(options.model);
    return fixedModelResolver(options.model, options.modelName ?? 'offline');
  }
  if (options.resolveModel) return options.resolveModel;
  const { createOfflineModel } = await import('../providers/offline/index.js');
  return fixedModelResolver(createOfflineModel(), 'offline');
}

function uniqueByKey(models: ResolvedModel[]): ResolvedModel[] {
  const seen = new Set<string>();
  return models.filter((model) => !seen.has(model.key) && Boolean(seen.add(model.key)));
}

function openWorkspace(folder: string, secrets: SecretMask, durable: boolean): Workspace {
  try {
    return new Workspace(folder, { secrets, durable });
  } catch (error) {
    if (isSopError(error)) throw error; // storage: names the folder and the cause
    throw new SopError('USAGE', `cannot use ${folder} as the workspace: ${(error as Error).message}`, { hint: 'pass --workspace with a folder you can write to' });
  }
}

/**
 * The run as its hints name it for `sop resume`, with the inputs recorded masked: a resume is
 * refused (INPUT_MISSING) until they are given again, so a hint without them led to that refusal.
 */
function localResumeRef(target: string, maskedInputs: readonly string[]): string {
  return [target, ...maskedInputs.map((name) => `--input ${name}=...`)].join(' ');
}

/** The values of the inputs named like secrets (by name or alias), as text. */
function secretNamedInputValues(sop: ResolvedSop, inputs: Record<string, unknown>): string[] {
  return sop.inputs
    .filter(isSecretInput)
    .map((input) => inputs[input.name])
    .filter((value): value is string => typeof value === 'string');
}
