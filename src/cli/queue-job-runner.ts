import { existsSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { SCRIPT } from '../providers/model-ref.js';
import { scriptBundlePath } from '../queue/job.js';
import type { QueuedRun } from '../queue/index.js';
import { MCP_ON_WORKER } from '../queue/submitter-paths.js';
import type { RunResult } from '../runtime/index.js';
import { DEFAULT_SOP_COMMAND } from '../runtime/resume-target.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { ModelFlags } from './model-choice.js';

/** What a worker process brings to every queued run: its folder, environment and secrets. */
export interface WorkerSetup {
  /** The worker's folder: its configuration (`sop.config.*`) and response cache are found from here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  cache: boolean;
  /** Masked in everything the run writes (the Redis URL's credentials). */
  secrets: readonly string[];
}

/**
 * SOPs loaded by this worker, by file: a bundle's folder is named by its content hash and never
 * changes, so each is validated once per process, not once per run (a thousand runs of one SOP).
 */
const loadedSops = new Map<string, Promise<ResolvedSop>>();

function loadedSop(file: string, load: (file: string) => Promise<{ sop: ResolvedSop }>): Promise<ResolvedSop> {
  let loaded = loadedSops.get(file);
  if (!loaded) {
    loaded = load(file).then(({ sop }) => sop);
    // A refused SOP is refused again for the next job (its error), without being kept.
    loaded.catch(() => loadedSops.delete(file));
    loadedSops.set(file, loaded);
  }
  return loaded;
}

/**
 * Where this worker reads a `script:FILE` model's script: the run's bundle (`scriptBundlePath`, put
 * there by the submitter, for its `--model` or its SOP) and nowhere else, so a job never makes a
 * worker read one of its own files as a script (its error would show the file's lines).
 */
function scriptInBundle(bundleDir: string): (file: string) => string {
  return (file) => {
    const found = path.join(bundleDir, scriptBundlePath(file));
    if (!existsSync(found)) {
      throw new SopError('QUEUE_JOB_INVALID', `the run's model ${JSON.stringify(`${SCRIPT}:${file}`.slice(0, 200))} names no script in its bundle`, {
        hint: 'submit the run with `sop run FILE --queue URL`: the scripts its --model or SOP names travel in the bundle',
      });
    }
    return found;
  };
}

/**
 * Runs one queued run with the same interpreter as `sop run`: the worker's configuration supplies
 * keys and endpoints, the job the model choice (`--model`, `--provider`) the submitter gave; a run
 * taken over from a worker that died continues from its journal (`queued.resume`).
 */
export async function runQueuedJob(queued: QueuedRun, setup: WorkerSetup): Promise<RunResult> {
  const { job } = queued;
  if (job.models.provider === SCRIPT) {
    throw new SopError('QUEUE_JOB_INVALID', `the job's provider is ${SCRIPT}: a script travels as --model ${SCRIPT}:FILE in the bundle`, { hint: 'submit the run with `sop run FILE --queue URL --model script:FILE`' });
  }
  const modelFlags: ModelFlags = { cache: setup.cache, ...job.models };
  const [{ loadRunConfig, prepareRunModels }, { loadResolvedSop }, { runSop }] = await Promise.all([
    import('./model-choice.js'),
    import('../spec/index.js'),
    import('../runtime/index.js'),
  ]);
  const config = await loadRunConfig(modelFlags, setup.cwd, setup.env);
  const sop = await loadedSop(queued.sopFile, loadResolvedSop);
  const models = await prepareRunModels(config, sop, modelFlags, setup.cwd, { scriptFile: scriptInBundle(queued.bundleDir), ...(queued.resume ? { resuming: true } : {}) });
  models.runtime.secrets.add(setup.secrets);
  // Rate and concurrency per endpoint, and every Retry-After, shared by all the queue's workers.
  models.runtime.endpoints.shared = queued.sharedLimits;
  const fromEnv = (await import('./run-environment.js')).runEnvironment(sop, setup.env);
  // A server that cannot start here says it started on the worker, and what the submitter can do.
  if (fromEnv.mcpServers) fromEnv.mcpServers = Object.fromEntries(Object.entries(fromEnv.mcpServers).map(([name, server]) => [name, { ...server, startHint: MCP_ON_WORKER }]));
  // A script's `human` answers decide the gates, as in `sop run --model script:FILE`; else the run pauses awaiting approval.
  const approve = models.scripted ? (await import('../runtime/index.js')).scriptedApprover(models.scripted, undefined) : undefined;
  const resume = queued.resume ? { ...queued.resume, ...(job.decision ? { decision: job.decision } : {}) } : undefined;
  return runSop(sop, {
    inputs: job.inputs,
    runId: job.runId,
    // Its hints are read where it was submitted: `sop resume ID --queue URL` finds it.
    runRef: job.runId,
    // Typed with the default `sop`, not this worker's word: its hints go to Redis, and whoever
    // follows the run (on another machine) types them its own way (`queuedHint`, `typedAs`).
    sopCommand: DEFAULT_SOP_COMMAND,
    cwd: setup.cwd,
    runsDir: queued.runsDir,
    workspace: queued.workspace,
    journalReplica: queued.replica,
    runtime: models.runtime,
    ...fromEnv,
    modelOptions: { ...modelFlags },
    ...(models.resolveModel ? { resolveModel: models.resolveModel } : {}),
    ...(job.nRound === undefined ? {} : { nRound: job.nRound }),
    ...(job.investment === undefined ? {} : { investment: job.investment }),
    ...(job.eventPrompts ? { eventPrompts: true } : {}),
    ...(resume ? { resume } : {}),
    ...(approve ? { approve } : {}),
    signal: queued.signal,
    drain: queued.drain,
    onEvent: queued.onEvent,
  });
}
