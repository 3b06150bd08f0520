import { readdirSync } from 'node:fs';
import { SopError } from '../errors/index.js';
import { editDistance, nearest } from '../spec/suggest.js';

/** How many ids an ambiguous prefix's refusal lists: enough to pick from, not a whole runs folder. */
const LISTED_MATCHES = 10;

/** What a run (or eval) id names among the record folders of `dir`, when no folder has that exact name. */
export type IdMatch =
  | { kind: 'one'; name: string }
  | { kind: 'several'; names: string[] }
  | { kind: 'none'; near?: string };

/**
 * The record folder an id abbreviates, as git and docker take a prefix of an id: `20261206-232643`
 * for `20261206-232643-88cb04`. One readdir of `dir`. Several matches come newest first (ids begin
 * with their start time); none, the nearest id a typo away (`near`), if any. A missing `dir` matches
 * nothing. Only a plain name is a prefix: a path names its folder or nothing.
 */
export function matchIdPrefix(dir: string, given: string): IdMatch {
  if (given === '' || /[/\\]/.test(given)) return { kind: 'none' };
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return { kind: 'none' };
  }
  const newestFirst = names.sort().reverse();
  const matches = newestFirst.filter((name) => name.startsWith(given));
  if (matches.length === 1) return { kind: 'one', name: matches[0] as string };
  if (matches.length > 1) return { kind: 'several', names: matches };
  const near = nearestId(given, newestFirst);
  return near === undefined ? { kind: 'none' } : { kind: 'none', near };
}

/**
 * The id `given` most likely mistypes: a few edits from the whole id or from its beginning as long
 * as `given` (a mistyped prefix). Ids of one day differ by a few characters, so only one or two
 * edits count; a tie goes to the newest.
 */
function nearestId(given: string, newestFirst: readonly string[]): string | undefined {
  const score = (name: string): number => Math.min(editDistance(given, name), editDistance(given, name.slice(0, given.length)));
  return nearest(newestFirst, score, given.length < 8 ? 1 : 2);
}

/** The refusal of a prefix that names several records (exit 2): the newest few, and how to name one. */
export function ambiguousIdError(noun: string, given: string, names: readonly string[], dir: string, hint: string): SopError {
  const listed = names.slice(0, LISTED_MATCHES).join(', ');
  const more = names.length > LISTED_MATCHES ? `, and ${names.length - LISTED_MATCHES} older` : '';
  return new SopError('USAGE', `${noun} id ${given} is the beginning of ${names.length} ${noun}s in ${dir}, newest first: ${listed}${more}`, { hint });
}
