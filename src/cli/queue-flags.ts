import { Flags } from '@oclif/core';

/** `--queue URL` and its companions, as `sop run`, `sop resume` and `sop runs` take them (docs/queue.md). */
export function queueFlags(exclusive: string[] = []) {
  return {
    queue: Flags.string({ description: 'Submit to (or read from) the queue on this Redis: redis://[user:password@]host:port[/db]; `sop worker` processes run it (docs/queue.md). Credentials are masked.', helpValue: 'URL', exclusive }),
    // No oclif default: a default counts as given, and `dependsOn` would then refuse every run without --queue.
    'queue-name': Flags.string({ description: 'With --queue: the queue\'s name (default: sop).', dependsOn: ['queue'] }),
  };
}

/** `sop run`'s and `sop resume`'s: return once the run is queued. */
export const detachFlag = Flags.boolean({ description: 'With --queue: print the run id and return once the run is queued (follow it later with `sop resume RUN --queue URL --follow`).', dependsOn: ['queue'] });
