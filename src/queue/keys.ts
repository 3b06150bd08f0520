/**
 * Where a queue keeps what is not a BullMQ job: one prefix per queue name, so two queues on one
 * Redis share nothing. Bundles are shared by hash across runs; everything else is per run.
 */
export function queueKeys(queue: string) {
  const base = `sop:${queue}`;
  return {
    bundle: (hash: string) => `${base}:bundle:${hash}`,
    /** The run journal's bytes, appended in file order (`JournalReplica`). */
    journal: (runId: string) => `${base}:journal:${runId}`,
    /** Workspace files by path (content, or a reference to the outputs folder when larger than the cap). */
    artifacts: (runId: string) => `${base}:artifacts:${runId}`,
    /** Which worker runs the run now (`SET NX PX`, renewed). */
    runLock: (runId: string) => `${base}:run-lock:${runId}`,
    /** Runs by submission time (score: ms). */
    runs: `${base}:runs`,
    /** Where shared endpoint limits live (`RedisEndpointLimits`). */
    endpoints: base,
    /** A run's facts: SOP name, latest job id, submitted. */
    run: (runId: string) => `${base}:run:${runId}`,
    /** What `run` puts before a run id (the runs list's pruning builds the key in Redis). */
    runPrefix: `${base}:run:`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

/** The queue name when none is given. */
export const DEFAULT_QUEUE = 'sop';

/** What a queue name may be: it is part of Redis keys and BullMQ's. */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `--queue URL` (credentials masked: `RedisAddress.shown`) and `--queue-name` when not the default, for hints. */
export function queueArgs(shownUrl: string, name: string | undefined): string {
  return `--queue ${shownUrl}${name === undefined || name === DEFAULT_QUEUE ? '' : ` --queue-name ${name}`}`;
}
