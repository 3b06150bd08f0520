import { distance } from 'fastest-levenshtein';

/**
 * The candidate the user most likely meant: within one edit for short names, two (or a third of the
 * length) for longer ones, or differing only in case/underscores; else the one candidate the name
 * begins (`Edit` for `Edited`: a cut-short name is many edits from a short one). Undefined when
 * nothing is close.
 */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  const simplify = (text: string): string => text.toLowerCase().replace(/[_-]/g, '');
  const lower = name.toLowerCase();
  const score = (candidate: string): number => {
    const other = candidate.toLowerCase();
    return simplify(candidate) === simplify(name) ? 0 : swapsTwoLetters(lower, other) ? 1 : distance(lower, other);
  };
  const others = [...new Set(candidates)].filter((candidate) => candidate !== name);
  return nearest(others, score, typoLimit(name.length)) ?? completedPrefix(name, candidates);
}

/**
 * `did you mean X?` for the one candidate that is a word of `name` (four letters or more), a plural
 * `s` aside: `templates` for the field `template_engine`, `model` for `model_name`, too many edits
 * away for `didYouMean`. For field names, which join words with `_`.
 */
export function didYouMeanAWord(name: string, candidates: Iterable<string>): string | undefined {
  const word = namedByAWord(name, [...new Set(candidates)].filter((candidate) => candidate !== name));
  return word === undefined ? undefined : `did you mean \`${word}\`?`;
}

function namedByAWord(name: string, candidates: readonly string[]): string | undefined {
  const words = new Set(name.toLowerCase().split(/[_\-.]+/).filter((word) => word.length >= 4));
  if (words.size === 0) return undefined;
  const named = candidates.filter((candidate) => {
    const lower = candidate.toLowerCase();
    return words.has(lower) || (lower.endsWith('s') && words.has(lower.slice(0, -1)));
  });
  return named.length === 1 ? named[0] : undefined;
}

/** How many edits a typo of a `length`-character name may have: one for short names (`iff` → `if`), else two or a third of the length. */
export function typoLimit(length: number): number {
  return length <= 4 ? 1 : Math.max(2, Math.floor(length / 3));
}

/**
 * The candidate of lowest `score` (edits, as `editDistance` counts them) within `limit`; a tie goes
 * to the first given, so callers order candidates by what should win one. Every did-you-mean of
 * `sop` (names, model names, run ids) picks its guess here.
 */
export function nearest<T>(candidates: Iterable<T>, score: (candidate: T) => number, limit: number): T | undefined {
  let best: { candidate: T; score: number } | undefined;
  for (const candidate of candidates) {
    const value = score(candidate);
    if (value <= limit && (!best || value < best.score)) best = { candidate, score: value };
  }
  return best?.candidate;
}

/** Levenshtein distance: the edits (insert, delete, replace a character) between two texts. */
export function editDistance(left: string, right: string): number {
  return distance(left, right);
}

/** The one candidate that `name` (three letters or more) is the beginning of, case aside. */
function completedPrefix(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 3) return undefined;
  const longer = [...new Set(candidates)].filter((candidate) => candidate.length > name.length && candidate.toLowerCase().startsWith(lower));
  return longer.length === 1 ? longer[0] : undefined;
}

/** `gaol` for `goal`: two neighbouring letters swapped, the commonest typo, which Levenshtein counts as two edits. */
function swapsTwoLetters(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let first = 0;
  while (first < left.length && left[first] === right[first]) first += 1;
  return first < left.length - 1 && left[first] === right[first + 1] && left[first + 1] === right[first]
    && left.slice(first + 2) === right.slice(first + 2);
}

/** `did you mean \`watch\`?` when a candidate is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(name, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

/**
 * The one candidate `name` abbreviates (`md` for `markdown`, `txt` for `text`): same first letter,
 * every letter of `name` in order. For short lists of fixed words (enums), where such a shorthand
 * is far in edits from the word and cannot mean two of them.
 */
export function expandedAbbreviation(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 2) return undefined;
  const matches = [...new Set(candidates)].filter((candidate) => {
    const other = candidate.toLowerCase();
    if (other.length <= lower.length || other[0] !== lower[0]) return false;
    let at = 0;
    for (const letter of lower) {
      at = other.indexOf(letter, at) + 1;
      if (at === 0) return false;
    }
    return true;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * `a, b, c`: how every message lists names (declared message types, roles, inputs, fields, allowed
 * values), each once, sorted (case aside, then as written): the same list reads the same whatever
 * was misspelt and in whatever order the file declares it. The nearest name is the hint's
 * (`didYouMean`). Compared by code unit, not `localeCompare`, whose first call builds an ICU
 * collator (~10 ms).
 */
export function listNames(candidates: Iterable<string>, most = Infinity): string {
  const sorted = [...new Set(candidates)].sort((left, right) => compare(left.toLowerCase(), right.toLowerCase()) || compare(left, right));
  if (sorted.length === 0) return '(none)';
  // A long list (a run's files) is cut after `most`, saying how many it leaves out.
  return sorted.length > most ? `${sorted.slice(0, most).join(', ')} and ${sorted.length - most} more` : sorted.join(', ');
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
