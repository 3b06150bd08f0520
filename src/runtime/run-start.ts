import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { removeStaleTemporaries } from '../files/index.js';
import type { SecretMask } from '../providers/redact.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { yamlLib } from '../spec/yaml-lib.js';
import { RunLock, RunStore, checkRunId, createRunId, placeWithin, relativePlaces, type Workspace } from '../store/index.js';
import type { ApprovalDecision, GivenDecision } from './approval.js';
import type { Checkpoint } from './checkpoint.js';
import type { RunEventBody } from './events.js';
import { planFileInputs, seedWorkspace } from './file-inputs.js';
import { checkInputBounds, coerceInputs } from './inputs.js';
import { resumedInputs } from './masked-inputs.js';
import { ReplayBook } from './replay-book.js';
import { approvalDecisions, givenApprovals } from './resume-approvals.js';
import { resumePlaces } from './resume-places.js';
import { refuseCompleted } from './resume-point.js';
import { resolveRunSettings, type RunSettings } from './run-settings.js';
import { emptyState, fromSnapshot, type SuperstepState } from './superstep/state.js';
import type { RunOptions } from './types.js';

/** What the run's first record says, known once its models and workspace are. */
export interface RunInfo {
  main: { key: string; provider: string };
  models: Array<{ key: string; endpoint?: string }>;
  offline: boolean;
  workspace: string;
}

/**
 * Where a run starts: every difference between a new run and a resumed one, decided in one place
 * (`newRunStart`, `resumedStart`); what follows is the same for both.
 */
export interface RunStart {
  runId: string;
  started: Date;
  inputs: Record<string, unknown>;
  /** The workspace folder (absolute). */
  workspace: string;
  /** The runs folder (absolute): where the run's folder is, and its workspace's lock. */
  runsDir: string;
  settings: RunSettings;
  /** The core state the loop starts from: empty, or the recorded boundary. */
  core: SuperstepState;
  /** The recorded boundary a resumed run continues from. */
  recorded: Checkpoint | undefined;
  /** Answers the interrupted attempt already received (resumed runs). */
  replay: ReplayBook | undefined;
  /** Human-gate decisions given to `sop resume`, and those an interrupted attempt got on a terminal. */
  decisions: Map<string, ApprovalDecision>;
  given: Map<string, GivenDecision>;
  /** Takes the run folder's lock (into `held`) and opens its record. */
  openStore(held: { lock?: RunLock }, info: RunInfo, redact: <T>(value: T) => T): RunStore;
  /** Undoes `openStore` for a run refused before it began (its workspace is held): a new run's folder is removed. */
  abandon(store: RunStore): void;
  /**
   * Readies the workspace once the run holds it: a new run's file inputs are copied in; a resumed
   * one's leftovers of a write its killed attempt was in the middle of are removed.
   */
  prepareWorkspace(workspace: Workspace): void;
  /** The run's first event: `run-start` or `run-resume`. */
  firstEvent(info: RunInfo): RunEventBody;
}

/**
 * The SOP file's place within each project it ran in, per loaded SOP: an SOP outside the project as
 * written takes two realpath calls to confirm (~15 µs a run), and an eval or a worker runs one
 * loaded SOP many times.
 */
const sopPlaces = new WeakMap<ResolvedSop, Map<string, string>>();

function sopPlaceIn(project: string, sop: ResolvedSop): string {
  let places = sopPlaces.get(sop);
  if (!places) sopPlaces.set(sop, (places = new Map()));
  let place = places.get(project);
  if (place === undefined) places.set(project, (place = placeWithin(project, sop.file)));
  return place;
}

/** The run-info's `fileInputs`: each file input's file and each text input's `@FILE`, as the user named them. */
function fileInputsRecord(textFiles: Readonly<Record<string, string>> = {}, seeds: ReadonlyArray<{ input: string; given: string }>): { fileInputs?: Record<string, string> } {
  const named = { ...textFiles, ...Object.fromEntries(seeds.map((seed) => [seed.input, seed.given])) };
  return Object.keys(named).length > 0 ? { fileInputs: named } : {};
}

/** A new run: inputs checked, settings from the options and the SOP, the empty state. */
export function newRunStart(sop: ResolvedSop, options: RunOptions, cwd: string, now: () => Date): RunStart {
  if (options.runId !== undefined) checkRunId(options.runId);
  const coerced = coerceInputs(sop.inputs, options.inputs ?? {}, { sopFile: sop.displayPath });
  checkInputBounds(sop, coerced);
  const { inputs, seeds } = planFileInputs(sop, coerced, cwd);
  const settings = resolveRunSettings(sop, options, undefined, inputs);
  const started = now();
  const runId = options.runId ?? createRunId(started);
  const runsDir = path.resolve(cwd, options.runsDir ?? path.join('.sop', 'runs'));
  return {
    runId,
    started,
    inputs,
    workspace: path.resolve(cwd, options.workspace ?? path.join('workspace', sop.name)),
    runsDir,
    settings,
    core: emptyState(),
    recorded: undefined,
    replay: undefined,
    decisions: new Map(),
    given: new Map(),
    openStore(held, info, redact) {
      // The record's first files are written while the run starts; `store.finish` waits for them.
      const store = RunStore.begin(runsDir, runId, {
        sopText: sopText(sop),
        runInfo: redact({
          id: runId,
          sop: { name: sop.name, version: sop.version, file: sop.displayPath, sha256: sop.sha256 },
          inputs,
          model: info.main.key,
          models: info.models.map((model) => model.key),
          provider: info.main.provider,
          workspace: info.workspace,
          started: started.toISOString(),
          holder: RunLock.creatorRecord(),
          relative: relativePlaces(path.join(runsDir, runId), cwd, sopPlaceIn(cwd, sop), info.workspace),
          ...fileInputsRecord(options.inputFiles, seeds),
        }),
      }, { durability: settings.durability, replica: options.journalReplica });
      // One process per run folder, as soon as the folder exists (created exclusively), for the
      // run's whole life: its journal's run-info names this process as the holder (no run.lock).
      held.lock = RunLock.creator(store.dir);
      return store;
    },
    abandon: (store) => store.discard(),
    prepareWorkspace: (workspace) => seedWorkspace(workspace, seeds),
    firstEvent: (info) => ({ type: 'run-start', runId, sop: sop.name, version: sop.version, file: sop.displayPath, workspace: info.workspace, model: info.main.key, models: info.models, offline: info.offline, inputs }),
  };
}

/**
 * A resumed run: its id, inputs, workspace and settings as recorded (a given setting wins), at its
 * boundary; an input recorded masked (a secret) is taken from `options.inputs` and joins `secrets`.
 */
export function resumedStart(sop: ResolvedSop, options: RunOptions, resume: NonNullable<RunOptions['resume']>, secrets: SecretMask): RunStart {
  checkResumeShape(resume);
  const recorded = resume.checkpoint;
  refuseCompleted(recorded, sop.inputs, resume.runDir, options.sopCommand);
  const cwd = path.resolve(options.cwd ?? process.cwd());
  // A moved or copied project: the workspace where it is now (as `sop resume` finds it), the SOP the caller loaded.
  const places = resumePlaces(resume.runDir, recorded, { sop: sop.file, workspace: options.workspace, cwd, sopCommand: options.sopCommand });
  const inputs = resumedInputs(sop, recorded, options.inputs ?? {}, secrets, cwd, options.sopCommand);
  const settings = resolveRunSettings(sop, options, recorded.options, inputs);
  const replay = new ReplayBook(resume.answers, recorded.round);
  return {
    runId: recorded.runId,
    started: new Date(recorded.started),
    inputs,
    workspace: places.workspace,
    runsDir: path.dirname(path.resolve(resume.runDir)),
    settings,
    core: fromSnapshot(recorded),
    recorded,
    replay,
    decisions: approvalDecisions(recorded, resume.decision, resume.decisionFor),
    given: givenApprovals(resume.approvals, recorded.round),
    openStore(held) {
      // Taken before the folder is written to (unless the caller already holds it: `sop resume`).
      // The journal is then continued only if no other process wrote to it since the caller read it.
      // A queued run's folder is this worker's copy of the journal in Redis: the process its run-info
      // names ran the run elsewhere (a worker of this machine that lost it, alive), and Redis's lock fences it.
      const copy = options.journalReplica !== undefined;
      held.lock = resume.lock ?? (copy ? RunLock.acquireCopy(resume.runDir, `resume ${recorded.runId}`) : RunLock.acquire(resume.runDir, `resume ${recorded.runId}`));
      // The resume point was read after the lock was taken: a creator that had not written its
      // run-info line when the lock was checked has by now (it comes before any resume point).
      if (!copy) RunLock.refuseCreatorHolding(resume.runDir);
      const store = RunStore.reopen(resume.runDir, resume.position, { durability: settings.durability, replica: options.journalReplica });
      // A run killed in the middle of a write (SIGKILL) left its temporary files: its resume removes them.
      removeStaleTemporaries(store.dir);
      return store;
    },
    abandon: (store) => store.close(),
    prepareWorkspace: (workspace) => removeStaleTemporaries(workspace.root),
    firstEvent: () => ({
      type: 'run-resume',
      runId: recorded.runId,
      round: recorded.round,
      checkpointSeq: recorded.eventSeq,
      journaled: replay.size,
      // The run lock is held now: a run its journal still calls `running` had its process killed (`sop runs` says `crashed`).
      previousStatus: recorded.status === 'running' ? 'crashed' : recorded.status,
      investment: settings.investment,
      nRound: settings.nRound,
      ...(places.followed.length > 0 ? { followed: places.followed } : {}),
    }),
  };
}

/** The SOP file's text as loaded (what its sha256 hashes), for the journal's `sop-text` and `sop-changed` lines. */
export function sopText(sop: ResolvedSop): string {
  if (sop.source !== undefined) return sop.source;
  try {
    return readFileSync(sop.file, 'utf8');
  } catch {
    return yamlLib().stringify(sop.document);
  }
}

/**
 * `resume` as a JavaScript caller may give it, without the resume point (`{ runDir }` alone):
 * refused with the form that works, not a TypeError from the first field read.
 */
function checkResumeShape(resume: NonNullable<RunOptions['resume']>): void {
  const given = resume as Partial<NonNullable<RunOptions['resume']>>;
  const missing = typeof given.runDir !== 'string' ? 'runDir' : (['checkpoint', 'answers', 'approvals', 'position'] as const).find((field) => typeof given[field] !== 'object' || given[field] === null);
  if (missing === undefined) {
    if (given.decisionFor !== undefined && given.decision === undefined) {
      throw new SopError('USAGE', 'resume.decisionFor names the awaited approvals a decision is for, but resume.decision is missing', { hint: "pass resume.decision too: { kind: 'approve' }, { kind: 'reject', feedback } or { kind: 'edit', content }" });
    }
    return;
  }
  throw new SopError('USAGE', `resume.${missing} is missing: resume takes the run folder and the resume point read from it`, {
    hint: 'pass resume: { runDir, ...readResumePoint(runDir) }',
  });
}
