/**
 * One case × model × repeat of an eval: an ordinary run (`runSop`, its record in the runs folder,
 * its own workspace), then its checks: the case's `expect` through the `sop test` engine
 * (`observeRun`, `checkExpectations`) and its `judge` rubrics.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, isSopError } from '../errors/index.js';
import type { SopRuntime } from '../providers/sop-runtime.js';
import type { SecretMask } from '../providers/redact.js';
import { readResumePoint, runSop, type RunEnvironment, type RunEvent, type RunReport, type RunResult } from '../runtime/index.js';
import type { Approver } from '../runtime/approval.js';
import type { ModelResolver, ResolvedModel } from '../runtime/models.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { createRunId, RUN_FILES } from '../store/index.js';
import { checkExpectations } from '../testing/expectations.js';
import { pointerOfPath } from '../testing/expect-fit.js';
import { observeRun, type ObservedRun } from '../testing/observed-run.js';
import { withImplicitStatus } from '../testing/runner.js';
import { formatLocation, type SopLocator } from '../testing/sop-locations.js';
import { refusedInputsFailures } from './case-inputs.js';
import type { EvalCase } from './dataset.js';
import { scoreRubric } from './judge.js';
import type { CaseRun, Failure, JudgeScore } from './results.js';

/** One run an eval plans. */
export interface EvalJob {
  case: EvalCase;
  model: string;
  repeat: number;
}

/** How an eval's runs are made: the same for all of them. */
export interface CaseRunContext {
  sop: ResolvedSop;
  cwd: string;
  runsDir: string;
  /** Each run writes to `<workspacesDir>/<run id>`. */
  workspacesDir: string;
  /** Golden files and other paths of `expect` are relative to it (the dataset's folder). */
  baseDir: string;
  /** Points a failed expectation at the SOP line it is about. */
  locator: SopLocator;
  /** Shared by every run of the eval on purpose: provider limits and breakers, the secret mask. */
  runtime: SopRuntime;
  /**
   * What runs on a model of the eval, who judges its rubrics, and the model options kept in each
   * run's record (as `sop run` keeps its flags), so `sop resume RUN` chooses the models again the same way.
   */
  modelFor(model: string): { resolveModel: ModelResolver; approve?: Approver; judge: ResolvedModel; modelOptions: Record<string, unknown> };
  /** The SOP's MCP servers with `${env:NAME}` expanded, and the values to mask (as `sop run` passes them). */
  /** What the runs read from the environment (`${env:NAME}` in the SOP), read once before the first. */
  fromEnv?: RunEnvironment;
  signal: AbortSignal;
  /** A listener of its own for each run's events (telemetry: each run its trace). */
  listenRun?: () => (event: RunEvent) => void;
  /**
   * Runs each case on a queue's workers instead of in this process (`sop eval --queue URL`): one
   * job per case × model × repeat, brought home as a local run record, then checked as any run.
   */
  queued?: QueuedCaseRunner;
  /** Model-call events in each run's journal carry the rendered prompts, secrets masked (`--event-prompts`). */
  eventPrompts?: boolean;
  /** How the hints of each run (its report's, its error's) type `sop` (`RunOptions.sopCommand`; default `sop`). */
  sopCommand?: string;
}

/** Runs one case's run elsewhere (a queue) and returns it as `runSop` would, its record in `runsDir`. */
export type QueuedCaseRunner = (request: {
  inputs: Record<string, string | number | boolean>;
  model: string;
  investment?: number;
  nRound?: number;
  runsDir: string;
  workspacesDir: string;
  onStart(runId: string): void;
}) => Promise<RunResult>;

export interface CaseRunOptions {
  /** The run's budget in USD (the case's, within what `--max-cost` leaves). */
  investment?: number;
  /** The run this job started before the eval was interrupted: resumed (or read, when it ended). */
  runId?: string;
  /** Told the run id before the run starts, so an interrupted eval finds the run again. */
  onStart(runId: string): void;
}

/** Runs and checks a job; undefined when the run was interrupted (the eval stops; `--resume` resumes the run). */
export async function runCase(job: EvalJob, context: CaseRunContext, options: CaseRunOptions): Promise<CaseRun | undefined> {
  const base = { case: job.case.name, model: job.model, repeat: job.repeat };
  if (job.case.skip !== undefined) return { ...base, skipped: job.case.skip, passed: false, score: 0, judges: [], failures: [], ...NOTHING_SPENT };
  const started = Date.now();
  const model = context.modelFor(job.model);
  let result: RunResult;
  try {
    result = await startOrResume(job, context, model, options);
  } catch (error) {
    // A run refused before it started (an input the SOP does not take): the case fails, the eval goes on.
    // A run another process holds (RUN_LOCKED) is no failure of the case: it was not run (see runEvalJobs).
    if (!isSopError(error) || error.code === 'RUN_LOCKED') throw error;
    // Said as `sop validate SOP DATASET` says it, at the case's field: the error's own hint speaks of `sop run`'s flags.
    const refused = error.code === 'INPUT_MISSING' || error.code === 'INPUT_INVALID' ? refusedInputsFailures(job.case, context.sop) : [];
    const failures = refused.length > 0 ? refused : [{ path: 'inputs', message: `${error.code}: ${error.message} (the run was refused before it started)`, location: job.case.locate('/inputs') }];
    return { ...base, passed: false, score: 0, judges: [], failures, ...NOTHING_SPENT, latencyMs: Date.now() - started };
  }
  if (result.status === 'interrupted') return undefined;
  const observed = await observeRun(result);
  const expectations = checkExpectations(observed, withImplicitStatus(job.case.expect), { baseDir: context.baseDir, sop: context.locator, origin: (pointer) => job.case.origin(pointer), evalUnscripted: model.approve === undefined });
  const failures: Failure[] = expectations
    .filter((check) => !check.passed)
    .map((check) => ({
      path: check.path,
      message: check.message,
      ...(check.expected === undefined ? {} : { expected: check.expected }),
      ...(check.actual === undefined ? {} : { actual: check.actual }),
      // At the field the failure is about (`contains`, `count`), as `sop test` locates it in its file; at the failing part of a `where`.
      location: check.writtenAt ? formatLocation(check.writtenAt) : job.case.locate(`${pointerOfPath(check.path)}${check.field === undefined ? '' : `/${check.field}`}`),
      ...(check.sopLocation ? { sopLocation: formatLocation(check.sopLocation) } : {}),
    }));
  const judged = await judgeRun(observed, job.case, model.judge, context.signal, context.runtime.secrets);
  judged.scores.forEach((score, index) => {
    if (!score.passed) failures.push({ path: `judge[${index}]`, location: job.case.locate(`/judge/${index}`), message: `${score.of} scored ${score.score ?? 'nothing'} (needs ${score.minScore}) against "${score.rubric}"${score.reasons.length > 0 ? `: ${score.reasons.join('; ')}` : ''}` });
  });
  const checks = expectations.length + judged.scores.length;
  const held = expectations.filter((check) => check.passed).length + judged.scores.filter((score) => score.passed).length;
  const total = result.report.usage.total;
  return {
    ...base,
    runId: result.runId,
    status: result.status,
    exitCode: result.exitCode,
    passed: failures.length === 0,
    score: checks === 0 ? 1 : held / checks,
    judges: judged.scores,
    failures,
    costUsd: result.report.costUsd + judged.costUsd,
    inputTokens: total.promptTokens + judged.inputTokens,
    outputTokens: total.completionTokens + judged.outputTokens,
    calls: total.calls + judged.calls,
    cachedCalls: total.cachedCalls + judged.cachedCalls,
    latencyMs: Date.now() - started,
  };
}

const NOTHING_SPENT = { costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0, cachedCalls: 0, latencyMs: 0 };


/** A new run, or the job's run from before the eval was interrupted: resumed when it was, read when it had ended. */
async function startOrResume(job: EvalJob, context: CaseRunContext, model: ReturnType<CaseRunContext['modelFor']>, options: CaseRunOptions): Promise<RunResult> {
  if (context.queued) {
    return context.queued({
      inputs: job.case.inputs as Record<string, string | number | boolean>,
      model: job.model,
      ...(options.investment === undefined ? {} : { investment: options.investment }),
      ...(job.case.nRound === undefined ? {} : { nRound: job.case.nRound }),
      runsDir: path.resolve(context.cwd, context.runsDir),
      workspacesDir: context.workspacesDir,
      onStart: options.onStart,
    });
  }
  const common = {
    cwd: context.cwd,
    runsDir: context.runsDir,
    runtime: context.runtime,
    resolveModel: model.resolveModel,
    signal: context.signal,
    modelOptions: model.modelOptions,
    // The eval's own per-run folders, recorded with durability `process` like the runs: no fsync per file.
    durableWorkspace: false,
    ...(context.eventPrompts ? { eventPrompts: true } : {}),
    ...(context.sopCommand === undefined ? {} : { sopCommand: context.sopCommand }),
    ...context.fromEnv,
    ...(model.approve ? { approve: model.approve } : {}),
    ...(options.investment === undefined ? {} : { investment: options.investment }),
    ...(job.case.nRound === undefined ? {} : { nRound: job.case.nRound }),
    ...(context.listenRun ? { onEvent: context.listenRun() } : {}),
  };
  if (options.runId !== undefined) {
    const runDir = path.join(path.resolve(context.cwd, context.runsDir), options.runId);
    const ended = endedRun(runDir);
    if (ended) return ended;
    if (existsSync(runDir)) {
      try {
        return await runSop(context.sop, { ...common, inputs: job.case.inputs, resume: { runDir, ...readResumePoint(runDir) } });
      } catch (error) {
        // Killed before its first snapshot: nothing to resume, the run starts again.
        if (!isSopError(error) || error.code !== 'RUN_NOT_RESUMABLE') throw error;
      }
    }
  }
  const runId = createRunId(new Date());
  options.onStart(runId);
  return runSop(context.sop, { ...common, inputs: job.case.inputs, runId, workspace: path.join(context.workspacesDir, runId) });
}

/**
 * A run whose report says it ended, as `runSop` would have returned it; not one that stopped
 * interrupted or at the eval's budget share (this job was never judged), nor one the provider
 * failed (`sop eval --resume` tries it again): that one is resumed.
 */
function endedRun(runDir: string): RunResult | undefined {
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(path.join(runDir, RUN_FILES.report), 'utf8')) as RunReport;
  } catch {
    return undefined;
  }
  if (report.status === 'interrupted' || report.status === 'budget_exhausted' || report.exitCode === EXIT.PROVIDER_FAILED) return undefined;
  return { runId: report.runId, runDir, workspace: report.workspace, status: report.status, exitCode: report.exitCode, report };
}

async function judgeRun(run: ObservedRun, evalCase: EvalCase, judge: ResolvedModel, signal: AbortSignal, secrets: SecretMask): Promise<{ scores: JudgeScore[]; costUsd: number; inputTokens: number; outputTokens: number; calls: number; cachedCalls: number }> {
  const judged = { scores: [] as JudgeScore[], costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0, cachedCalls: 0 };
  for (const rubric of evalCase.judge) {
    const scored = await scoreRubric(run, rubric, evalCase.inputs, judge, signal, evalCase.expect);
    // A judge's reasons are a model's text, as a run's answers are: a key it echoes is masked before
    // they reach the table, the results file, the JUnit report and the eval's record.
    judged.scores.push(secrets.maskDeep(scored.score));
    judged.costUsd += scored.costUsd;
    judged.inputTokens += scored.inputTokens;
    judged.outputTokens += scored.outputTokens;
    judged.calls += scored.calls;
    judged.cachedCalls += scored.cachedCalls;
  }
  return judged;
}
