import type { Diagnostic } from './sop-error.js';

/**
 * Most problems printed for one file or one refusal. The first ones locate the mistake (a wrong
 * field repeated on every line shows in the first few); thousands only scroll it away: 100,000 bad
 * dataset lines printed 300,000 lines in 6 s. `--json` keeps every one.
 */
export const SHOWN_PROBLEMS = 20;

/**
 * The problems of `diagnostics` a capped list prints (errors before warnings, kept in file order)
 * and the rest it only counts: the one cap of printed problems and of GitHub annotations.
 */
export function firstProblems(diagnostics: readonly Diagnostic[]): { shown: Diagnostic[]; rest: Diagnostic[] } {
  if (diagnostics.length <= SHOWN_PROBLEMS) return { shown: [...diagnostics], rest: [] };
  const indexed = diagnostics.map((diagnostic, index) => ({ diagnostic, index }));
  const chosen = [...indexed.filter(({ diagnostic }) => diagnostic.severity === 'error'), ...indexed.filter(({ diagnostic }) => diagnostic.severity !== 'error')]
    .slice(0, SHOWN_PROBLEMS)
    .sort((a, b) => a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
  const picked = new Set(chosen);
  return { shown: chosen, rest: diagnostics.filter((diagnostic) => !picked.has(diagnostic)) };
}

/** The line standing for the problems a capped list does not print. */
export function moreProblems(rest: readonly Diagnostic[]): string {
  const errors = rest.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = rest.length - errors;
  const kinds = errors > 0 && warnings > 0 ? ` (${plural(errors, 'error')}, ${plural(warnings, 'warning')})` : '';
  return `... and ${plural(rest.length, errors > 0 ? 'more problem' : 'more warning')} not shown${kinds}: fix these first, or add --json to list every one`;
}

/** `1 file`, `3 files`, `2,980 more problems`: a count, its thousands separated, with its noun (a plain `s` plural). */
export function plural(count: number, noun: string): string {
  return `${withThousands(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * `2,980`: a whole number with its thousands separated, as `toLocaleString('en-US')` writes it
 * without its cost: the first call builds ICU's number formatting, ~20 ms of every command's start.
 */
export function withThousands(count: number): string {
  const [whole = '', fraction] = String(count).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
