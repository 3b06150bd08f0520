import path from 'node:path';
import { isSopError, SopError } from '../errors/index.js';

/**
 * Where a queued run's SOP is: the worker's bundle folder (a temporary folder of the worker's,
 * holding the SOP file and the files it references, by path relative to the SOP) and the SOP file
 * as its submitter typed it (`sub/sop.yaml`).
 */
export interface SopPlaces {
  bundleDir: string;
  shown: string;
}

/** What a hint says of the bundle folder itself: the submitter has no such folder to go to. */
const BUNDLE_FOLDER = "the worker's copy of the SOP's folder";

/**
 * Why an MCP server failed on a worker, said for the submitter: the server started on the worker,
 * so what it needs must be there; the SOP can name a path each worker has, or run locally. A worker
 * gives it to each of the run's servers (`startHint`): added where a server fails to start, so no
 * error's wording has to be read to tell a server that could not start from one that answered wrongly.
 */
export const MCP_ON_WORKER =
  "a queued run's MCP servers start on its worker: install what the server needs (its program, its folders) on every worker of the queue and continue the run through the queue, or name a path present on every worker (absolute, or `${env:NAME}` set in each worker's environment) and submit a new run; or run without --queue";

/**
 * `text` naming the SOP's files as the submitter does: a path in the bundle folder is the same
 * path beside the SOP as typed (`/tmp/sop-worker-x/bundles/HASH/sop.yaml:9:3` is
 * `sub/sop.yaml:9:3`); the bare folder is said as the worker's copy of it.
 */
export function asSubmitted(text: string, places: SopPlaces): string {
  if (!text.includes(places.bundleDir)) return text;
  const folder = path.dirname(places.shown);
  const inFolder = folder === '.' ? '' : `${folder}${path.sep}`;
  return text.replaceAll(`${places.bundleDir}${path.sep}`, inFolder).replaceAll(places.bundleDir, BUNDLE_FOLDER);
}

/**
 * A value of the run (an event, its report, an error) with every string `asSubmitted`.
 * Copy-on-write: only the objects on the way to a string that changed are copied, the rest is
 * shared and `value` itself is never changed (a worker maps every event it forwards, and most name
 * no path of its bundle: those are forwarded as they are).
 */
export function submittedValue<T>(value: T, places: SopPlaces): T {
  return walk(value, places) as T;
}

/** A run's error thrown on the worker (its SOP refused there, say), `submittedValue`: others as they are. */
export function submittedError(error: unknown, places: SopPlaces): unknown {
  if (!isSopError(error)) return error;
  const { message, hint, diagnostics } = submittedValue({ code: error.code, message: error.message, hint: error.hint, diagnostics: error.diagnostics }, places);
  return new SopError(error.code, message, { ...(hint === undefined ? {} : { hint }), diagnostics, cause: error.cause });
}

function walk(value: unknown, places: SopPlaces): unknown {
  if (typeof value === 'string') return asSubmitted(value, places);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const mapped = walk(item, places);
      if (mapped !== item) (items ??= [...value])[index] = mapped;
    });
    return items ?? value;
  }
  const record = value as Record<string, unknown>;
  let mapped: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const walked = walk(item, places);
    if (walked !== item) (mapped ??= { ...record })[key] = walked;
  }
  return mapped ?? record;
}
