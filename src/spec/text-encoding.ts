import { isUtf8 } from 'node:buffer';
import { stripVTControlCharacters } from 'node:util';

/** Why bytes are not readable as UTF-8 text, and where. */
interface EncodingProblem {
  /** What the bytes are, e.g. `UTF-16 text` or `binary data`. */
  message: string;
  hint: string;
  /** 1-based position of the first offending byte, when it has one. */
  line?: number;
  column?: number;
}

export type DecodedText = { ok: true; text: string } | { ok: false; problem: EncodingProblem };

const SAVE_AS_UTF8 = 'save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8)';

/**
 * Decodes a file that must be UTF-8 text (an SOP, a prompt, a schema), without its BOM. UTF-16/32 files, binary data
 * and invalid UTF-8 are refused instead of being read as replacement characters: a prompt with
 * `caf\uFFFD` in it is silently wrong, an error is not.
 */
export function decodeUtf8Text(bytes: Uint8Array): DecodedText {
  const bom = byteOrderMark(bytes);
  if (bom) return { ok: false, problem: { message: `it is ${bom} text, not UTF-8`, hint: SAVE_AS_UTF8 } };
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      problem: { message: 'it holds binary data (a NUL byte), not text', hint: 'give a text file (YAML, Liquid, JSON, ...) saved as UTF-8', ...positionOf(bytes, nul) },
    };
  }
  // isUtf8 is native and fast; the byte-by-byte scan only runs to locate a problem.
  const invalid = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    return {
      ok: false,
      problem: {
        message: `it is not valid UTF-8 (byte 0x${(bytes[invalid] as number).toString(16).toUpperCase().padStart(2, '0')}; Latin-1 or Windows-1252?)`,
        hint: SAVE_AS_UTF8,
        ...positionOf(bytes, invalid),
      },
    };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // A UTF-8 BOM (Windows editors write one) is no part of the text, as editors show it: left in, a
  // JSON schema did not parse, a prompt sent it to the model and line 1's columns were one too many.
  return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'UTF-32';
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'UTF-32';
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) return 'UTF-16';
  return undefined;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 when all are valid. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index] as number;
    if (byte < 0x80) {
      index += 1;
      continue;
    }
    let length: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) [length, min] = [2, 0x80];
    else if (byte >= 0xe0 && byte <= 0xef) [length, min] = [3, 0x800];
    else if (byte >= 0xf0 && byte <= 0xf4) [length, min] = [4, 0x10000];
    else return index;
    if (index + length > bytes.length) return index;
    let codePoint = byte & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset++) {
      const next = bytes[index + offset] as number;
      if ((next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (codePoint < min || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return index;
    index += length;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    if (bytes[index] === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  const before = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, offset - lineStart).toString('utf8');
  // A BOM is no character of the text (see decodeUtf8Text).
  return { line, column: [...before.replace(/^\uFEFF/, '')].length + 1 };
}

/**
 * Text fit to show a person (a terminal line, a CI annotation): terminal escape sequences (a
 * command's colours) and the C0/C1 control characters left (NUL, ESC, BEL, DEL, ...) removed;
 * tabs and line breaks kept.
 */
export function withoutControlBytes(text: string): string {
  return stripVTControlCharacters(text).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}

/**
 * What makes a name print otherwise than it reads: C0 and C1 control characters, DEL (an escape
 * sequence recolours or clears the terminal, `\r` and `\b` overwrite what came before), line and
 * paragraph separators, and bidirectional controls (they print it in another order than it has).
 */
const UNPRINTABLE_IN_NAME = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/**
 * A name from the user's files (a test case, a workspace path) as output shows it: as it is when
 * printable, else quoted with those characters escaped as JSON and YAML write them (`"ok
 * \u001b[31m"`, `"a\rb"`), so a terminal, a CI log or a JUnit file shows the name and is not
 * steered by it, and the name can still be found in the file.
 */
export function shownName(name: string): string {
  return UNPRINTABLE_IN_NAME.test(name) ? quotedName(name) : name;
}

/** A name quoted in a sentence (`case "x" does not give ...`): always quoted, escaped as `shownName` escapes it. */
export function quotedName(name: string): string {
  // JSON.stringify escapes C0 controls and quotes; what it leaves raw is escaped here.
  return JSON.stringify(name).replace(/[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** C0 control characters but tab and line ends, and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * A command's output as a report, a message or a model shows it: terminal escape sequences (CSI
 * such as a test runner's colours, OSC such as a link or a window title) removed, as they mean
 * nothing off a terminal; every other control character (NUL, a lone ESC, BEL, DEL) becomes
 * U+FFFD, as bytes that are not UTF-8 already decode: "not text here" stays visible.
 */
export function printableText(text: string): string {
  return controlsMarked(withoutEscapeSequences(text));
}

/** Text without its terminal escape sequences (CSI, OSC), control characters left as they are. */
export function withoutEscapeSequences(text: string): string {
  return stripVTControlCharacters(text);
}

/**
 * Control characters as U+FFFD, one for one, escape sequences too: for a file's own text (a code
 * frame), where columns must stay where they are.
 */
export function controlsMarked(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/**
 * The first `max` UTF-16 units of `text`, one fewer when the cut would fall inside a surrogate pair
 * (an emoji, a rare CJK character): half a pair is printed as U+FFFD, garbage where a character was.
 */
export function textStart(text: string, max: number): string {
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff && end < text.length ? end - 1 : end);
}

/**
 * The 1-based column, in characters (code points, as editors count them: an emoji is one, a tab
 * one), of `offset` in `text` whose line starts at `lineStart`. JavaScript counts UTF-16 units, two
 * for a character past U+FFFF.
 */
export function characterColumn(text: string, lineStart: number, offset: number): number {
  let column = offset - lineStart + 1;
  for (let index = lineStart; index < offset - 1; index++) {
    if (isPairAt(text, index)) {
      column -= 1;
      index += 1;
    }
  }
  return column;
}

/** 1-based line and column (in characters, see `characterColumn`) of the UTF-16 `offset` in `text`. */
export function characterPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: characterColumn(text, lineStart, offset) };
}

/** The UTF-16 index in `line` of the 1-based character `column` (what string slicing and code frames take). */
export function unitIndexOfColumn(line: string, column: number): number {
  let index = 0;
  for (let character = 1; character < column && index < line.length; character++) index += isPairAt(line, index) ? 2 : 1;
  return index;
}

/** Whether a surrogate pair (one character past U+FFFF, two UTF-16 units) starts at `index`. */
export function isPairAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  const next = text.charCodeAt(index + 1);
  return unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

/** A 1-based line and UTF-16 column in `text` (as template engines give them) with the column in characters. */
export function inCharacters(text: string, position: { line: number; column: number }): { line: number; column: number } {
  let lineStart = 0;
  for (let line = 1; line < position.line && lineStart !== -1; line++) lineStart = text.indexOf('\n', lineStart) + 1 || -1;
  if (lineStart === -1) return position;
  return { line: position.line, column: characterColumn(text, lineStart, Math.min(text.length, lineStart + position.column - 1)) };
}

/**
 * A prompt, template or partial file's text as its editor shows it: without a BOM, lines ending in
 * LF as YAML reads them in an SOP. A checkout on Windows (git's `core.autocrlf`) then sends the
 * model the same prompt as on Linux, so a recorded cassette replays and the response cache hits.
 */
export function editorText(text: string): string {
  return (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n/g, '\n');
}
