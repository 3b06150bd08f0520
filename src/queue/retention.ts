/**
 * How long a finished run stays in Redis (docs/queue.md, "Retention"): its BullMQ job (removed
 * `removeOnComplete`/`removeOnFail` age after it ends, as BullMQ does) and the run's own keys
 * (facts and result, journal, workspace files: an expiry set when the job ends, none while it is
 * queued or running). The submitter decides it for the runs it queues (`sop run --queue-keep-days`);
 * the worker reads it from the job's own options, so every key of a run goes with its job.
 */

/** Days a finished run is kept when the submitter says nothing. */
export const DEFAULT_KEEP_DAYS = 7;

export const DAY_SECONDS = 24 * 3600;

/** BullMQ's options of a run's job that keep it `keepSeconds` after it ends. */
export function keepOptions(keepSeconds: number): { removeOnComplete: { age: number }; removeOnFail: { age: number } } {
  return { removeOnComplete: { age: keepSeconds }, removeOnFail: { age: keepSeconds } };
}

/**
 * How long to keep a run whose job ended as `outcome`, read from the job's options (`keepOptions`);
 * the default for a job queued without them (by an older submitter).
 */
export function keepSecondsOf(jobOptions: { removeOnComplete?: unknown; removeOnFail?: unknown } | undefined, outcome: 'completed' | 'failed'): number {
  const keep = outcome === 'completed' ? jobOptions?.removeOnComplete : jobOptions?.removeOnFail;
  const age = (keep as { age?: unknown } | undefined)?.age;
  return typeof age === 'number' && Number.isInteger(age) && age > 0 ? age : DEFAULT_KEEP_DAYS * DAY_SECONDS;
}

/**
 * Lua that makes a key live at least `seconds` more seconds, never shorter than it already would (a
 * bundle shared by runs kept for different times): sets the expiry when the key has none or a
 * sooner one; creates nothing (a key Redis lost stays lost). A fragment: `key` and `seconds` are
 * Lua expressions (`KEYS[1]`, `ARGV[1]`), so a run's end can run it inside its own script.
 */
export const keepAtLeast = (key: string, seconds: string): string => `do
  local ttl = redis.call('ttl', ${key})
  if ttl == -1 or (ttl >= 0 and ttl < tonumber(${seconds})) then redis.call('expire', ${key}, ${seconds}) end
end`;

/** How many of the oldest runs of the list a run's end checks (`pruneRuns`): bounded work per end. */
export const PRUNE_BATCH = 16;

/**
 * Lua that drops from the runs list (`list`, by submission time) those of its `batch` oldest whose
 * facts (`prefix` .. id) expired: run at each run's end, so the list does not grow with runs long
 * gone when nobody lists it (`sop runs --queue` prunes what it lists too). A fragment, as `keepAtLeast`.
 */
export const pruneRuns = (list: string, batch: string, prefix: string): string => `for _, id in ipairs(redis.call('zrange', ${list}, 0, tonumber(${batch}) - 1)) do
  if redis.call('exists', ${prefix} .. id) == 0 then redis.call('zrem', ${list}, id) end
end`;
