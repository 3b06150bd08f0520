import type { RunStatus } from '../runtime/status.js';

/** `sop worker --json`'s result: what this worker did before it stopped. */
export interface WorkerResult {
  /** Jobs that ran to the run's end, however the run ended (`runs` says how). */
  completed: number;
  /** Jobs that failed before their run could end (a refused job, a run Redis lost). */
  failed: number;
  handedBack: number;
  /** How the runs of the completed jobs ended, by run status (`completed`, `failed`, `awaiting_approval`, ...). */
  runs: Partial<Record<RunStatus, number>>;
}

/** The statuses in the order `sop` names them (`RunStatus`), for a summary that reads the same each time. */
const STATUS_ORDER: readonly RunStatus[] = ['completed', 'stalled', 'round_limit', 'budget_exhausted', 'gate_stopped', 'awaiting_approval', 'failed', 'interrupted'];

/**
 * `worker stopped: 3 jobs completed, 0 failed, 0 handed back; their runs: 1 completed, 1 awaiting_approval, 1 failed`:
 * a job completes whenever its run ends, so its count alone read as if every run had succeeded.
 */
export function workerSummary(counts: WorkerResult): string {
  const ended = STATUS_ORDER.filter((status) => (counts.runs[status] ?? 0) > 0).map((status) => `${counts.runs[status]} ${status}`);
  const jobs = `${counts.completed} ${counts.completed === 1 ? 'job' : 'jobs'} completed, ${counts.failed} failed, ${counts.handedBack} handed back`;
  return `worker stopped: ${jobs}${ended.length > 0 ? `; their runs: ${ended.join(', ')}` : ''}`;
}
