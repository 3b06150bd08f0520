import { Flags } from '@oclif/core';
import { SopError } from '../errors/index.js';

/** `--queue URL` and its companions, as `sop run`, `sop resume` and `sop runs` take them (docs/queue.md). */
export const queueFlags = {
  queue: Flags.string({ description: 'Submit to (or read from) the queue on this Redis: redis://[user:password@]host:port[/db]; `sop worker` processes run it (docs/queue.md). Credentials are masked. A secret input (`api_key`, `*_token`) travels sealed with SOP_QUEUE_KEY, the workers\' key too.', helpValue: 'URL' }),
  // No oclif default: a default counts as given, and `dependsOn` would then refuse every run without --queue.
  'queue-name': Flags.string({ description: 'With --queue: the queue\'s name (default: sop).', dependsOn: ['queue'] }),
};

/**
 * Why a flag cannot travel to a worker: each names a file or folder on this machine, or decides
 * what the worker decides. The worker has no file system in common with the submitter.
 */
export const NOT_WITH_QUEUE = {
  record: 'the cassette would be a file on the worker, not here',
  replay: 'the cassette is a file on this machine, which the worker cannot read',
  'cache-dir': 'the response cache is the worker\'s own (sop worker --no-cache turns it off)',
  durability: 'the worker keeps the run\'s journal in Redis; what it survives is the worker\'s and Redis\'s setting',
  inc: 'incremental mode works on the project in --workspace on this machine, which the worker cannot read',
  'dry-run': 'a preview runs here, calling no model: drop --queue',
  'metrics-port': 'the run\'s metrics are the worker\'s: serve them with sop worker --metrics-port',
  'metrics-host': 'the run\'s metrics are the worker\'s: serve them with sop worker --metrics-port',
  edit: 'the edited output is checked against the run\'s state, which is on the worker: --approve or --reject "what to change" instead',
  gate: 'which approvals the run awaits is in its journal on the worker: decide them all with --approve or --reject "what to change"',
  'allow-changed-sop': 'a queued run\'s SOP is the bundle it was submitted with, which cannot change: submit a new run',
  sop: 'a queued run\'s SOP is in its bundle in Redis, not in a local run record',
  workspace: 'a queued run\'s workspace is on the worker that continues it, not on this machine',
  input: 'a queued run\'s inputs, secrets included, are in its job in the queue: the worker gives them to the resumed run',
  resume: 'a queued eval cannot be resumed yet: run it again (answers come from the workers\' caches)',
  'started-by': 'the queue does not record which command submitted a run (an eval\'s runs are listed locally once brought home)',
  eval: 'the queue does not record which eval submitted a run (an eval\'s runs are listed locally once brought home)',
} as const;

/** Refuses (USAGE, exit 2) the first of `names` given with `--queue`, saying why it cannot travel. */
export function refuseWithQueue(flags: Record<string, unknown>, names: ReadonlyArray<keyof typeof NOT_WITH_QUEUE>): void {
  if (flags['queue'] === undefined) return;
  const given = names.find((name) => flags[name] !== undefined && flags[name] !== false);
  if (given === undefined) return;
  throw new SopError('USAGE', `--${given} cannot be used with --queue: ${NOT_WITH_QUEUE[given]}`, { hint: 'drop it, or run locally without --queue (docs/queue.md)' });
}

/** `--queue URL` (credentials masked) and `--queue-name` when not the default: how later commands name the queue. */
export { queueArgs } from '../queue/keys.js';

/**
 * `sop run`'s, `sop resume`'s and `sop eval`'s: how long the runs it queues stay in Redis once they
 * end (their BullMQ jobs, and their facts, journal and files), docs/queue.md "Retention".
 */
export const queueKeepFlag = Flags.integer({
  description: 'With --queue: days a run queued by this command stays in Redis once it ended (its job, result, journal and files), for `sop resume RUN --queue` and `sop runs --queue`; then it expires (default: 7).',
  min: 1,
  max: 3650,
  helpValue: 'DAYS',
  relationships: [{ type: 'all', flags: ['queue'] }],
});

/** `sop run`'s and `sop resume`'s: return once the run is queued. */
// `relationships` rather than `dependsOn` (the same check): --queue is already grouped with --queue-name
// in the usage line, and oclif would print a second, empty group (`[--detach ]`).
export const detachFlag = Flags.boolean({ description: 'With --queue: print the run id and return once the run is queued (follow it later with `sop resume RUN --queue URL`).', relationships: [{ type: 'all', flags: ['queue'] }] });
