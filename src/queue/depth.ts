import type { Queue } from 'bullmq';

/**
 * The job states a queue's depth counts, BullMQ's name and the word `sop` shows for each. `sop`
 * delays a job only to hand its run back (a draining worker, SIGTERM), which `sop runs --queue`
 * and docs/queue.md call `interrupted`: BullMQ's `delayed` read as "scheduled for later".
 */
const DEPTH_STATES = [
  ['waiting', 'waiting'],
  ['active', 'active'],
  ['delayed', 'interrupted'],
  ['completed', 'completed'],
  ['failed', 'failed'],
] as const;

/** The queue's jobs by state, in `sop`'s words (`sop runs --queue`'s depth line and `--json`, the worker's metric). */
export async function queueDepth(queue: Queue): Promise<Record<string, number>> {
  const counts = await queue.getJobCounts(...DEPTH_STATES.map(([state]) => state));
  return Object.fromEntries(DEPTH_STATES.map(([state, word]) => [word, counts[state] ?? 0]));
}
