/** Why a queue's Redis loses a run it had (QUEUE_RUN_NOT_FOUND): said alike by submitters and workers. */
export const REDIS_LOSES_RUNS = 'restarted without persistence, flushed, evicting keys under maxmemory';

/** What to do about a run Redis lost, its command typed with `sopCommand` (a worker's, shared with submitters through Redis, with the default `sop`). */
export const submitAgain = (sopCommand: string): string =>
  `submit it again (\`${sopCommand} run FILE --queue URL\`), and have Redis persist what it holds so a restart keeps queued runs (\`appendonly yes\`, \`maxmemory-policy noeviction\`): docs/queue.md, "Retention and persistence"`;
