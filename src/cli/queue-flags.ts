import { Flags } from '@oclif/core';
import { SopError } from '../errors/index.js';

/** `--queue URL` and its companions, as `sop run`, `sop resume` and `sop runs` take them (docs/queue.md). */
export const queueFlags = {
  queue: Flags.string({ description: 'Submit to (or read from) the queue on this Redis: redis://[user:password@]host:port[/db]; `sop worker` processes run it (docs/queue.md). Credentials are masked.', helpValue: 'URL' }),
  // No oclif default: a default counts as given, and `dependsOn` would then refuse every run without --queue.
  'queue-name': Flags.string({ description: 'With --queue: the queue\'s name (default: sop).', dependsOn: ['queue'] }),
};

/** Refuses (USAGE) flags that cannot go with `--queue`: each names a file on this machine, or decides what the worker decides. */
export function refuseWithQueue(flags: Record<string, unknown>, names: readonly string[]): void {
  if (flags['queue'] === undefined) return;
  const given = names.find((name) => flags[name] !== undefined && flags[name] !== false);
  if (given === undefined) return;
  throw new SopError('USAGE', `--${given} cannot be used with --queue: the worker runs the run, with its own files and settings`, { hint: 'drop it, or run locally without --queue (docs/queue.md)' });
}

/** `sop run`'s and `sop resume`'s: return once the run is queued. */
export const detachFlag = Flags.boolean({ description: 'With --queue: print the run id and return once the run is queued (follow it later with `sop resume RUN --queue URL --follow`).', dependsOn: ['queue'] });
