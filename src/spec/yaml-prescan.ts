import { LIMITS } from './limits.js';

/** A bound crossed at `offset` (0-based, into the text). */
export interface PrescanProblem {
  offset: number;
  message: string;
  hint: string;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COMMA = 44;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
/** Characters after which a quote opens a quoted scalar: `key: "`, `- "`, `["`, `{"`, `, "`, `? "`. */
const VALUE_STARTS = new Set([':', '-', '[', '{', ',', '?'].map((char) => char.charCodeAt(0)));

/**
 * One pass over the raw text, before the YAML parser runs: the parser spends hundreds of bytes per
 * value and builds double-quoted scalars a character at a time, so a 1 MB flow list
 * (`x: [1,1,...]`) took 4 s and 583 MB and a 20 MB quoted string 772 MB. Counts values (lines
 * holding one, plus flow-collection commas; an upper bound, since commas in block text count too)
 * and double-quoted characters, and stops at the first bound crossed. Allocates nothing.
 */
export function prescanYaml(text: string): PrescanProblem | undefined {
  let values = 0;
  let quotedChars = 0;
  let lineHasValue = false;
  let previous = NEWLINE; // last non-blank character on the line (NEWLINE at a line start)
  const length = text.length;
  const tooManyValues = (offset: number): PrescanProblem => ({
    offset,
    message: `the YAML holds more than ${LIMITS.yamlValues.toLocaleString('en-US')} values (a generated or pasted data dump?)`,
    hint: 'an SOP describes a team; keep data in files the actions `reads`, or split the SOP',
  });
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === NEWLINE) {
      if (lineHasValue && ++values > LIMITS.yamlValues) return tooManyValues(index);
      lineHasValue = false;
      previous = NEWLINE;
      continue;
    }
    if (code === SPACE || code === TAB || code === CARRIAGE_RETURN) continue;
    if (code === HASH && (index === 0 || isBlank(text.charCodeAt(index - 1)))) {
      index = endOfLine(text, index) - 1; // a comment: nothing in it counts
      continue;
    }
    const opensQuote = previous === NEWLINE || VALUE_STARTS.has(previous);
    lineHasValue = true;
    if (code === DOUBLE_QUOTE && opensQuote) {
      const end = closingDoubleQuote(text, index);
      quotedChars += end - index;
      if (quotedChars > LIMITS.doubleQuotedChars) {
        return {
          offset: index,
          message: `double-quoted text in this file passes ${Math.round(LIMITS.doubleQuotedChars / 1024 / 1024)} MB here`,
          hint: 'write long text as a block scalar (`prompt: |` then the text indented below), or in a file (`prompt: { file: prompts/x.md }`)',
        };
      }
      index = end;
      previous = DOUBLE_QUOTE;
      continue;
    }
    if (code === SINGLE_QUOTE && opensQuote) {
      index = closingSingleQuote(text, index);
      previous = SINGLE_QUOTE;
      continue;
    }
    if (code === COMMA && ++values > LIMITS.yamlValues) return tooManyValues(index);
    previous = code;
  }
  return undefined;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === NEWLINE || code === CARRIAGE_RETURN;
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** Offset of the quote closing the double-quoted scalar opened at `start` (escapes skipped), or the end of the text. */
function closingDoubleQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index += 1;
    else if (code === DOUBLE_QUOTE) return index;
  }
  return text.length;
}

/** Offset of the quote closing the single-quoted scalar opened at `start` (`''` is an escaped quote), or the end of the text. */
function closingSingleQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    if (text.charCodeAt(index) !== SINGLE_QUOTE) continue;
    if (text.charCodeAt(index + 1) === SINGLE_QUOTE) index += 1;
    else return index;
  }
  return text.length;
}

/** 1-based line and column of `offset`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
