/**
 * Token estimates in bounded time. gpt-tokenizer's BPE takes time quadratic in the length of one
 * word: 160,000 `x` in a row took 85 s, and a reply or prompt holding such a run (a model repeating
 * one character, a hostile server, a file of `=====`) hung the run while its usage was estimated,
 * deaf to Ctrl-C. The text is counted in pieces of at most PIECE_CHARS, cut before a space that
 * follows a word (where the tokenizer splits anyway, so ordinary text counts exactly), and a text
 * longer than EXACT_CHARS is counted on its first EXACT_CHARS and scaled: an estimate either way.
 */

const PIECE_CHARS = 500;
const EXACT_CHARS = 512 * 1024;

export function countInPieces(count: (text: string) => number, text: string): number {
  const counted = text.length > EXACT_CHARS ? text.slice(0, EXACT_CHARS) : text;
  let tokens = 0;
  for (let start = 0; start < counted.length;) {
    const end = pieceEnd(counted, start);
    tokens += count(counted.slice(start, end));
    start = end;
  }
  return counted.length === text.length ? tokens : Math.ceil((tokens * text.length) / counted.length);
}

/** Where the piece starting at `start` ends: before the last word-following space in reach, else at the bound. */
function pieceEnd(text: string, start: number): number {
  const bound = start + PIECE_CHARS;
  if (bound >= text.length) return text.length;
  for (let at = text.lastIndexOf(' ', bound); at > start; at = text.lastIndexOf(' ', at - 1)) {
    if (!/\s/.test(text[at - 1]!)) return at;
  }
  return bound;
}
