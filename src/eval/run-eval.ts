/**
 * The eval loop: every case × model × repeat, `concurrency` runs at a time, each recorded in the
 * eval record as it starts and as it is judged, within `--max-cost`. Runs judged before (an eval
 * continued with `--resume`) are kept, not run again.
 *
 * Cost control: a run starts only while the eval has money left, and gets as its budget a share of
 * what is neither spent nor promised to the runs in flight (split among the free slots), so the
 * runs together cannot spend more than `--max-cost`. A run stopped by that share (not by its
 * case's own `investment`) is not judged: the eval stops there, and `--resume` with a higher
 * `--max-cost` resumes it.
 */

import { EXIT, isSopError, SopError } from '../errors/index.js';
import type { EvalCase } from './dataset.js';
import { shownName } from '../spec/text-encoding.js';
import { jobKey, type EvalRecord } from './eval-record.js';
import { evalResumeCommand } from './resume-command.js';
import { runCase, type CaseRunContext, type EvalJob } from './case-run.js';
import type { CaseRun, EvalStop } from './results.js';

/** Every run of an eval, case by case: each case on each model, each repeat. */
export function planJobs(cases: readonly EvalCase[], models: readonly string[], repeat: number): EvalJob[] {
  return cases.flatMap((evalCase) => models.flatMap((model) => Array.from({ length: repeat }, (_, index) => ({ case: evalCase, model, repeat: index + 1 }))));
}

/**
 * The budget of a run starting now: what is neither spent nor promised to the runs in flight,
 * split among the free slots, so the runs together cannot spend more than `maxCost`; 0 when
 * nothing is left (the eval stops).
 */
export function budgetShare(maxCost: number, spent: number, promised: number, freeSlots: number): number {
  const available = maxCost - spent - promised;
  return available <= 0 ? 0 : available / Math.max(1, freeSlots);
}

export interface EvalLoopOptions {
  concurrency: number;
  /** USD the whole eval may spend (runs and judges), runs judged before included. */
  maxCost?: number;
  record: EvalRecord;
  context: CaseRunContext;
  /** Told of each run as it is judged (progress). */
  onRun?: (run: CaseRun, finished: number, planned: number) => void;
}

/** Runs what is left of the plan; the runs come back in plan order. */
export async function runEvalJobs(jobs: readonly EvalJob[], options: EvalLoopOptions): Promise<{ runs: CaseRun[]; stopped?: EvalStop }> {
  const { started, done } = options.record.progress();
  const keyed = jobs.map((job) => ({ job, key: jobKey({ case: job.case.name, model: job.model, repeat: job.repeat }) }));
  const results = new Map<string, CaseRun>();
  for (const { key } of keyed) {
    const earlier = done.get(key);
    // A run the provider failed (down, rate limited, refused the key) says nothing of the SOP: a
    // resume runs it again, from its own record (calls it had answered are not paid again).
    if (earlier && earlier.exitCode !== EXIT.PROVIDER_FAILED) results.set(key, earlier);
  }
  let spent = [...results.values()].reduce((total, run) => total + run.costUsd, 0);
  let promised = 0;
  let inFlight = 0;
  let next = 0;
  let stop: EvalStop['reason'] | undefined;
  let locked: { error: SopError; job: EvalJob } | undefined;
  const pending = keyed.filter(({ key }) => !results.has(key));

  const worker = async (): Promise<void> => {
    while (stop === undefined && next < pending.length) {
      if (options.context.signal.aborted) {
        stop = 'interrupted';
        break;
      }
      const { job, key } = pending[next] as (typeof keyed)[number];
      const share = options.maxCost === undefined || job.case.skip !== undefined ? undefined : budgetShare(options.maxCost, spent, promised, options.concurrency - inFlight);
      if (share === 0) {
        stop = 'max_cost';
        break;
      }
      next += 1;
      const investment = share === undefined ? job.case.investment : Math.min(share, job.case.investment ?? Infinity);
      const limitedByEval = share !== undefined && (job.case.investment === undefined || share < job.case.investment);
      promised += share ?? 0;
      inFlight += 1;
      try {
        const runId = started.get(key);
        let run: CaseRun | undefined;
        try {
          run = await runCase(job, options.context, {
            ...(investment === undefined ? {} : { investment }),
            ...(runId === undefined ? {} : { runId }),
            onStart: (id) => options.record.started(key, id),
          });
        } catch (error) {
          if (!isSopError(error) || error.code !== 'RUN_LOCKED') throw error;
          locked ??= { error, job };
          stop ??= 'interrupted';
          continue;
        }
        if (run === undefined) {
          stop ??= 'interrupted';
          continue;
        }
        spent += run.costUsd;
        if (limitedByEval && run.status === 'budget_exhausted') {
          stop ??= 'max_cost';
          continue;
        }
        results.set(key, run);
        options.record.done(key, run);
        options.onRun?.(run, results.size, jobs.length);
      } finally {
        promised -= share ?? 0;
        inFlight -= 1;
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, worker));
  if (locked) {
    const { error, job } = locked;
    throw new SopError('RUN_LOCKED', `case ${shownName(job.case.name)} (${job.case.place}) on ${job.model}: ${error.message}`, {
      hint: `the eval stopped without running it; once that process ends, continue with: ${evalResumeCommand(options.record.dir)}`,
    });
  }
  const runs = keyed.map(({ key }) => results.get(key)).filter((run): run is CaseRun => run !== undefined);
  if (stop === undefined && runs.length === jobs.length) return { runs };
  return {
    runs,
    stopped: {
      reason: stop ?? 'interrupted',
      ran: runs.filter((run) => run.skipped === undefined).length,
      planned: jobs.filter((job) => job.case.skip === undefined).length,
      spentUsd: spent,
    },
  };
}
