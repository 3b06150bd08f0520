/**
 * Small string helpers shared by the offline model: identifier splitting, case styles,
 * singular forms, and sanitising text so it can sit inside generated code and comments.
 */

/**
 * A pattern for any text, and its twin for ASCII text (most prompts): `\p{L}` and `/iu` patterns cost
 * V8 ~0.5-1 ms each to compile on their first use in a process (a cold `sop run` of the offline
 * model used six), a pattern of ASCII classes a fraction of that. On ASCII text the twin matches
 * exactly as the pattern does (`\p{L}` is `A-Za-z` there, `\p{N}` `0-9`, and `/i` folds case as
 * `/iu` does), so the outputs are the same.
 */
export interface TextPattern {
  any: RegExp;
  ascii: RegExp;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The pattern of `pattern` that matches `text`: its ASCII twin when the text is ASCII. */
export function patternFor(pattern: TextPattern, text: string): RegExp {
  return ASCII_ONLY.test(text) ? pattern.ascii : pattern.any;
}

/** A `/iu` pattern and its `/i` twin (its source must mean the same without `u`: no `\p{...}`, `\u{...}`). */
export function caseFolding(pattern: RegExp): TextPattern {
  return { any: pattern, ascii: new RegExp(pattern.source, pattern.flags.replace('u', '')) };
}

const WORD_SEPARATORS: TextPattern = { any: /[^\p{L}\p{N}+#]+/u, ascii: /[^A-Za-z0-9+#]+/ };
const UNSAFE_IN_LINE: TextPattern = { any: /[^\p{L}\p{N} .,:;!?()\-_+/#@%=]/gu, ascii: /[^A-Za-z0-9 .,:;!?()\-_+/#@%=]/g };

/** Field names and topics repeat across calls: splitting them once keeps calls fast (pure, so shared by every run). */
const wordCache = new Map<string, readonly string[]>();

/** Splits `user_stories`, `fileName`, `PRDDocument`, `todo-cli v2` into words. */
export function splitWords(text: string): readonly string[] {
  const cached = wordCache.get(text);
  if (cached) return cached;
  if (wordCache.size > 2000) wordCache.clear();
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(patternFor(WORD_SEPARATORS, text))
    .filter((word) => word.length > 0);
  wordCache.set(text, words);
  return words;
}

/** `user_stories` → `user stories`; keeps acronyms such as `PRD` as written. */
export function humanize(name: string): string {
  return splitWords(name)
    .map((word) => (word.length > 1 && word === word.toUpperCase() ? word : word.toLowerCase()))
    .join(' ');
}

/** Singular of the last word of a phrase: `user stories` → `user story`, `files` → `file`. */
export function singular(phrase: string): string {
  const match = /^(.*?)(\p{L}+)$/u.exec(phrase);
  if (!match) return phrase;
  const head = match[1] ?? '';
  const word = match[2] ?? '';
  const lower = word.toLowerCase();
  let single = word;
  if (/(ss|us|is|data|info|news|series)$/.test(lower)) single = word;
  else if (/ies$/.test(lower) && word.length > 4) single = `${word.slice(0, -3)}y`;
  else if (/(sses|ches|shes|xes|zes)$/.test(lower)) single = word.slice(0, -2);
  else if (/s$/.test(lower) && word.length > 3) single = word.slice(0, -1);
  return head + single;
}

/** ASCII words (lower case) usable in identifiers and file names. */
export function asciiWords(text: string): string[] {
  return splitWords(text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .map((word) => word.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((word) => word.length > 0);
}

export function snakeCase(text: string): string {
  return asciiWords(text).join('_');
}

export function kebabCase(text: string): string {
  return asciiWords(text).join('-');
}

export function pascalCase(text: string): string {
  return asciiWords(text)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export function camelCase(text: string): string {
  const pascal = pascalCase(text);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

export function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One line of text safe inside string literals, comments and docstrings of every generated
 * language: no quotes, backslashes, `$`, backticks, angle brackets, `*` (so no comment closers)
 * nor `--` (HTML comments); whitespace collapsed; cut at `max` characters on a word boundary.
 */
export function safeLine(text: string, max = 120): string {
  const cleaned = text
    .replace(patternFor(UNSAFE_IN_LINE, text), ' ')
    .replace(/-{2,}/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned.length <= max) return cleaned;
  const cut = cleaned.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,:;!?(\-_+/#@%=]+$/u, '');
}

/** Length in code points, as JSON Schema (and ajv) count it. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Index of the first whole-word occurrence of `needle` in `haystack`, or -1. */
export function wordIndex(haystack: string, needle: string): number {
  if (needle.length === 0) return -1;
  const first = needle[0] ?? '';
  const last = needle[needle.length - 1] ?? '';
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return -1;
    const before = at > 0 ? haystack[at - 1] : undefined;
    const after = haystack[at + needle.length];
    const startsWord = before === undefined || !WORD_CHAR.test(first) || !WORD_CHAR.test(before);
    const endsWord = after === undefined || !WORD_CHAR.test(last) || !WORD_CHAR.test(after);
    if (startsWord && endsWord) return at;
    from = at + 1;
  }
}
