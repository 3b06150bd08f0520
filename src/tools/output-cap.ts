import { printableText, withoutEscapeSequences } from '../spec/text-encoding.js';
import type { MaskParts } from './types.js';

/** Room kept for the `[... N bytes cut ...]` note inside the cap. */
const NOTE_BYTES = 64;

/**
 * A tool's output as the model gets it: at most `maxBytes` of UTF-8, keeping the head and the tail
 * (where a listing starts and where an error ends up) with a note of what was cut in between.
 */
export function capOutput(text: string, maxBytes: number, mask?: MaskParts): string {
  const shown = printableText(mask ? joined(mask(text)) : text);
  if (Buffer.byteLength(shown, 'utf8') <= maxBytes) return shown;
  // Cut in the text without its escape sequences (they would take room and show nothing): the
  // note counts its bytes.
  const bytes = Buffer.from(withoutEscapeSequences(text), 'utf8');
  return capEnds(bytes, bytes, bytes.length, maxBytes, mask);
}

function joined(parts: Array<{ text: string }>): string {
  return parts.map((part) => part.text).join('');
}

/**
 * The capped form of a text of `totalBytes` known only by its first bytes (`head`) and its last
 * bytes (`tail`), each at least `maxBytes / 2` long unless the text is shorter: how a huge file or
 * stream is capped without holding it whole. `mask` (the run's secret mask) is applied to each end
 * before the cut: a secret the cut goes through is masked whole, not cut into a part it no longer
 * finds. The note counts the original's bytes left out, whatever the ends shown had masked.
 */
export function capEnds(head: Buffer, tail: Buffer, totalBytes: number, maxBytes: number, mask?: MaskParts): string {
  const headParts = mask?.(head.toString('utf8'));
  const tailParts = mask?.(tail.toString('utf8'));
  if (headParts && tailParts) {
    head = Buffer.from(joined(headParts), 'utf8');
    tail = Buffer.from(joined(tailParts), 'utf8');
  }
  const keep = Math.max(0, maxBytes - NOTE_BYTES);
  const headBytes = Math.min(Math.floor(keep / 2), head.length);
  const tailBytes = Math.min(keep - Math.floor(keep / 2), tail.length);
  // Cuts through multi-byte characters decode as U+FFFD at the edges; drop those.
  const start = clip(head.subarray(0, headBytes).toString('utf8').replace(/\uFFFD+$/, ''), headBytes, 'end');
  const before = tail.subarray(Math.max(0, tail.length - tailBytes - SEQUENCE_CHARS), tail.length - tailBytes).toString('utf8');
  const end = clip(tail.subarray(tail.length - tailBytes).toString('utf8').replace(/^\uFFFD+/, ''), tailBytes, 'start', before);
  const shownStart = headParts ? shownParts(headParts, start.length, 'start') : { text: start, source: start };
  const shownEnd = tailParts ? shownParts(tailParts, end.length, 'end') : { text: end, source: end };
  const cut = totalBytes - sourceBytes(shownStart.source) - sourceBytes(shownEnd.source);
  return `${printableText(shownStart.text)}\n[... ${cut} bytes cut ...]\n${printableText(shownEnd.text)}`;
}

/**
 * The first (or last) `length` characters of a masked text, with the original they show; a mask
 * the cut went through is dropped whole (it stands for a secret not shown).
 */
function shownParts(parts: Array<{ text: string; source: string }>, length: number, from: 'start' | 'end'): { text: string; source: string } {
  const pieces: string[] = [];
  const sources: string[] = [];
  let room = length;
  for (const part of from === 'start' ? parts : [...parts].reverse()) {
    if (part.text.length <= room) {
      pieces.push(part.text);
      sources.push(part.source);
    } else if (room > 0 && part.text === part.source) {
      const piece = from === 'start' ? part.text.slice(0, room) : part.text.slice(-room);
      pieces.push(piece);
      sources.push(piece);
    }
    room -= part.text.length;
    if (room <= 0) break;
  }
  if (from === 'end') [pieces, sources].forEach((list) => list.reverse());
  return { text: pieces.join(''), source: sources.join('') };
}

/** Room kept for `capHead`'s note. */
const HEAD_NOTE_BYTES = 120;

/**
 * The head of a text whose end is unknown (read only up to a limit), within `maxBytes`, then the
 * note `describe` writes from how many bytes of the text were shown (of the original, when `mask`
 * masked a secret in them).
 */
export function capHead(text: string, maxBytes: number, describe: (shownBytes: number) => string, mask?: MaskParts): string {
  const parts = mask?.(text);
  const keep = Math.max(0, maxBytes - HEAD_NOTE_BYTES);
  const head = clip(Buffer.from(parts ? joined(parts) : text, 'utf8').subarray(0, keep).toString('utf8').replace(/\uFFFD+$/, ''), keep, 'end');
  const shown = parts ? shownParts(parts, head.length, 'start') : { text: head, source: head };
  return `${printableText(shown.text)}\n${describe(sourceBytes(shown.source))}`;
}

/**
 * The end of a decoded piece whose printable form fits in `maxBytes`: a control character (1 byte)
 * shown as U+FFFD takes 3, so binary ends are clipped again to stay within the cap. The piece is
 * kept as decoded (escape sequences in it) so that `sourceBytes` counts what it stands for; an
 * escape sequence the cut went through is dropped whole (its rest would show as `[31m`). `before`
 * is the text just before a piece that keeps the end ('start'), where a cut sequence began.
 */
function clip(text: string, maxBytes: number, from: 'start' | 'end', before = ''): string {
  let clipped = text;
  let dropped = before;
  const shownBytes = (): number => Buffer.byteLength(printableText(clipped), 'utf8');
  while (shownBytes() > maxBytes) {
    const over = Math.max(1, Math.floor((shownBytes() - maxBytes) / 3));
    if (from === 'end') clipped = clipped.slice(0, -over);
    else {
      dropped = (dropped + clipped.slice(0, over)).slice(-SEQUENCE_CHARS);
      clipped = clipped.slice(over);
    }
  }
  clipped = from === 'end' ? clipped.replace(CUT_SEQUENCE_AT_END, '') : clipped.slice(carriedOver(dropped, clipped));
  // A slice through a surrogate pair leaves half a character.
  return clipped.replace(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/g, '');
}

/** Longest escape sequence whose cut is mended (an OSC 8 link holds a URL); a longer one shows its rest. */
const SEQUENCE_CHARS = 512;

/** A CSI (`ESC [ params final`) or OSC (`ESC ] text BEL|ESC \`) sequence at the start. */
const SEQUENCE = /^\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\))/;
/** A CSI or OSC sequence begun at the end and cut before its final byte. */
const CUT_SEQUENCE_AT_END = /\u001B(?:\[[0-?]*[ -/]*|\][^\u0007\u001B]*\u001B?)?$/;

/** How many characters at the start of `rest` finish an escape sequence begun in `before`. */
function carriedOver(before: string, rest: string): number {
  const escape = before.lastIndexOf('\u001B');
  if (escape === -1) return 0;
  const begun = before.slice(escape);
  const match = SEQUENCE.exec(begun + rest.slice(0, SEQUENCE_CHARS));
  return match && match[0].length > begun.length ? match[0].length - begun.length : 0;
}

/** How many bytes of the original a decoded piece stands for (each U+FFFD an invalid byte). */
function sourceBytes(decoded: string): number {
  const replaced = decoded.match(/\uFFFD/g)?.length ?? 0;
  return Buffer.byteLength(decoded, 'utf8') - 2 * replaced;
}

/** A failure result: what the model is told, nothing else. */
export function toolError(content: string, detail?: Record<string, unknown>): { content: string; isError: true; detail?: Record<string, unknown> } {
  return { content, isError: true, ...(detail ? { detail } : {}) };
}
