import { Flags } from '@oclif/core';
import { SopError } from '../errors/index.js';
import type { RunStatus } from '../runtime/index.js';
import type { RunSummary } from '../store/index.js';
import { didYouMean } from '../spec/suggest.js';

/**
 * Every status `sop runs` can show: how a run ended (kept in step with `RunStatus` by the type),
 * and what the listing itself says of a run that did not end or cannot be read.
 */
const ENDED: Record<RunStatus, true> = { completed: true, stalled: true, round_limit: true, budget_exhausted: true, gate_stopped: true, awaiting_approval: true, failed: true, interrupted: true };
const LISTED_STATUSES: readonly string[] = [...Object.keys(ENDED), 'running', 'crashed', 'newer', 'unreadable'];
/**
 * What `sop runs --queue --status` matches: how a queued run ended (its STATUS), else its latest
 * job's state (its STATE: BullMQ's, or `gone` once Redis dropped the job); `failed` is both.
 */
const QUEUED_STATUSES: readonly string[] = [...Object.keys(ENDED), 'waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'gone'];
/** The local statuses a queued run shows otherwise (its job's state), for the refusal's hint. */
const AS_QUEUED: Record<string, string> = { running: 'active', crashed: 'active (a run whose worker died is taken over) or waiting' };

/** `sop runs`' filters, as `gh run list` has them. */
export const runFilterFlags = {
  status: Flags.string({ description: `Only runs with this status (repeat it, or give a comma list): ${LISTED_STATUSES.join(', ')}. With --queue: how the run ended, else its job's state: ${QUEUED_STATUSES.join(', ')}.`, multiple: true, helpValue: 'STATUS' }),
  'sop-name': Flags.string({ description: 'Only runs of the SOP with this name (its metadata.name, the SOP column).', helpValue: 'NAME' }),
  since: Flags.string({ description: 'Only runs started (with --queue: submitted) since then: a duration back from now (30m, 2h, 3d, 1w) or a UTC date or time (2026-12-01, 2026-12-01T09:30:00Z).', helpValue: 'DURATION|DATE' }),
  limit: Flags.integer({ description: 'At most this many runs, the newest (after the other filters; default: all; with --queue, the newest 100).', min: 1, helpValue: 'N' }),
  // As `gh run list --event` and `--workflow` narrow a repository's runs by what started them.
  'started-by': Flags.string({ description: 'Only runs started by this command: run (sop run: by hand, in a script or CI, queued) or eval (a case of sop eval; shown with its EVAL and CASE).', options: ['run', 'eval'], helpValue: 'COMMAND' }),
  eval: Flags.string({ description: 'Only the runs of this eval (its id, or the beginning of it: the EVAL column).', helpValue: 'ID' }),
};

export type RunFilterFlags = { status?: string[] | undefined; 'sop-name'?: string | undefined; since?: string | undefined; limit?: number | undefined; 'started-by'?: string | undefined; eval?: string | undefined };

/** The filter flags given, as typed (`--status failed,crashed`), for refusals and the empty-list note. */
export function givenFilters(flags: RunFilterFlags): string[] {
  return (Object.keys(runFilterFlags) as Array<keyof RunFilterFlags>)
    .filter((name) => flags[name] !== undefined)
    .map((name) => `--${name} ${([] as unknown[]).concat(flags[name]).join(',')}`);
}

/**
 * What the flags keep, checked before anything is read: by what a run's first journal line tells
 * (SOP, start), then by its status (read only of the runs kept so far), then the newest `limit`
 * (the listing stops reading once it has them).
 */
export interface RunFilter {
  /** `eval`: the eval that started the run (`evalOrigins`); absent for a run started by `sop run`. */
  keepsHead(run: Pick<RunSummary, 'sop' | 'started'> & { eval?: { id: string } | undefined }): boolean;
  keepsStatus(status: string): boolean;
  limit: number | undefined;
  /** `--since`, epoch ms. */
  since: number | undefined;
}

/** `queued`: the filters of `sop runs --queue`, whose statuses are `QUEUED_STATUSES`. */
export function runFilter(flags: RunFilterFlags, now: Date = new Date(), { queued = false }: { queued?: boolean } = {}): RunFilter {
  const statuses = flags.status === undefined ? undefined : parseStatuses(flags.status, queued);
  const since = flags.since === undefined ? undefined : parseSince(flags.since, now);
  const sopName = flags['sop-name'];
  const startedBy = flags['started-by'];
  const evalId = flags.eval;
  return {
    keepsHead: (run) =>
      (sopName === undefined || run.sop === sopName) &&
      // A run whose start is not recorded cannot be said to have started since then.
      (since === undefined || Date.parse(run.started) >= since) &&
      (startedBy === undefined || (startedBy === 'eval') === (run.eval !== undefined)) &&
      (evalId === undefined || run.eval?.id.startsWith(evalId) === true),
    keepsStatus: (status) => statuses === undefined || statuses.has(status),
    limit: flags.limit,
    since,
  };
}

/** What a status is called elsewhere (`paused`, `killed`, `success`): the word `sop runs` shows for it. */
const OTHER_WORDS: Record<string, string> = {
  paused: 'awaiting_approval', waiting: 'awaiting_approval', pending: 'awaiting_approval', killed: 'crashed', dead: 'crashed',
  success: 'completed', succeeded: 'completed', passed: 'completed', done: 'completed', finished: 'completed',
  error: 'failed', errored: 'failed', failure: 'failed', cancelled: 'interrupted', canceled: 'interrupted', stopped: 'interrupted',
};

function saidOtherwise(unknown: string, allowed: readonly string[]): string | undefined {
  const word = OTHER_WORDS[unknown.toLowerCase()];
  return word !== undefined && allowed.includes(word) ? `such a run's status is ${word}: --status ${word}` : undefined;
}

function parseStatuses(given: string[], queued: boolean): Set<string> {
  const allowed = queued ? QUEUED_STATUSES : LISTED_STATUSES;
  const statuses = given.flatMap((value) => value.split(',')).map((status) => status.trim()).filter((status) => status !== '');
  const unknown = statuses.find((status) => !allowed.includes(status));
  if (unknown !== undefined || statuses.length === 0) {
    const local = queued && unknown !== undefined && LISTED_STATUSES.includes(unknown);
    const what = unknown === undefined ? 'no status given' : local ? `"${unknown}" is a status of local runs; a queued run not yet ended has its job's state` : `unknown status "${unknown}"`;
    const meant = unknown === undefined ? undefined : local ? (AS_QUEUED[unknown] && `for a queued run, try --status ${AS_QUEUED[unknown]}`) : (didYouMean(unknown, allowed) ?? saidOtherwise(unknown, allowed));
    throw new SopError('USAGE', `--status: ${what}: expected one of ${allowed.join(', ')}${queued ? ' (with --queue)' : ''}`, {
      hint: meant ?? `repeat --status or give a comma list, e.g. --status ${queued ? 'failed,waiting' : 'failed,crashed'}`,
    });
  }
  return new Set(statuses);
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: a duration back from `now`, or a UTC date (its midnight) or ISO time; epoch ms. */
function parseSince(given: string, now: Date): number {
  const value = given.trim();
  const duration = /^(\d+)\s*([smhdw])$/.exec(value);
  if (duration) return now.getTime() - Number(duration[1]) * (UNIT_MS[duration[2] as string] as number);
  // A date alone is read as UTC midnight (the STARTED column is UTC); a time needs its zone, so it
  // is not read in whatever zone this machine happens to be in.
  const date = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  const time = date ? Date.parse(value) : NaN;
  // Date.parse rolls 2026-02-30 over to March: the day must read back as given.
  if (date && !Number.isNaN(time) && new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))).toISOString().startsWith(`${date[1]}-${date[2]}-${date[3]}`)) return time;
  throw new SopError('USAGE', `--since: cannot read "${given}": expected a duration back from now (a number and s, m, h, d or w: 30m, 2h, 3d, 1w) or a UTC date or time (2026-12-01, 2026-12-01T09:30:00Z)`, {
    hint: 'e.g. --since 2h, --since 3d or --since 2026-12-01',
  });
}
