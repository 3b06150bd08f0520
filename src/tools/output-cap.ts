/** Room kept for the `[... N bytes cut ...]` note inside the cap. */
const NOTE_BYTES = 64;

/**
 * A tool's output as the model gets it: at most `maxBytes` of UTF-8, keeping the head and the tail
 * (where a listing starts and where an error ends up) with a note of what was cut in between.
 */
export function capOutput(text: string, maxBytes: number): string {
  const shown = printable(text);
  if (Buffer.byteLength(shown, 'utf8') <= maxBytes) return shown;
  // Cut in the text as written: the note counts its bytes.
  const bytes = Buffer.from(text, 'utf8');
  return capEnds(bytes, bytes, bytes.length, maxBytes);
}

/** Control characters other than tab, newline and carriage return (NUL, ESC, DEL, ...): one byte each. */
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;

/**
 * A tool's output with each control character (binary output's NUL bytes, a terminal's escape
 * sequences) replaced by U+FFFD, as bytes that are not UTF-8 already decode: a model reads them as
 * "not text here", and a provider's JSON or a log line never carries raw control bytes.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/**
 * The capped form of a text of `totalBytes` known only by its first bytes (`head`) and its last
 * bytes (`tail`), each at least `maxBytes / 2` long unless the text is shorter: how a huge file or
 * stream is capped without holding it whole.
 */
export function capEnds(head: Buffer, tail: Buffer, totalBytes: number, maxBytes: number): string {
  const keep = Math.max(0, maxBytes - NOTE_BYTES);
  const headBytes = Math.min(Math.floor(keep / 2), head.length);
  const tailBytes = Math.min(keep - Math.floor(keep / 2), tail.length);
  // Cuts through multi-byte characters decode as U+FFFD at the edges; drop those.
  const start = clip(printable(head.subarray(0, headBytes).toString('utf8').replace(/\uFFFD+$/, '')), headBytes, 'end');
  const end = clip(printable(tail.subarray(tail.length - tailBytes).toString('utf8').replace(/^\uFFFD+/, '')), tailBytes, 'start');
  const cut = totalBytes - sourceBytes(start) - sourceBytes(end);
  return `${start}\n[... ${cut} bytes cut ...]\n${end}`;
}

/** Room kept for `capHead`'s note. */
const HEAD_NOTE_BYTES = 120;

/**
 * The head of a text whose end is unknown (read only up to a limit), within `maxBytes`, then the
 * note `describe` writes from how many bytes of the text were shown.
 */
export function capHead(text: string, maxBytes: number, describe: (shownBytes: number) => string): string {
  const keep = Math.max(0, maxBytes - HEAD_NOTE_BYTES);
  const head = clip(printable(Buffer.from(text, 'utf8').subarray(0, keep).toString('utf8').replace(/\uFFFD+$/, '')), keep, 'end');
  return `${head}\n${describe(sourceBytes(head))}`;
}

/** A control character (1 byte) shown as U+FFFD takes 3: binary ends are clipped again to stay within the cap. */
function clip(text: string, maxBytes: number, from: 'start' | 'end'): string {
  let clipped = text;
  while (Buffer.byteLength(clipped, 'utf8') > maxBytes) {
    const over = Math.max(1, Math.floor((Buffer.byteLength(clipped, 'utf8') - maxBytes) / 3));
    clipped = from === 'end' ? clipped.slice(0, -over) : clipped.slice(over);
  }
  // A slice through a surrogate pair leaves half a character.
  return clipped.replace(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/g, '');
}

/** How many bytes of the original a shown piece stands for (each U+FFFD a control byte, or an invalid byte). */
function sourceBytes(shown: string): number {
  const replaced = shown.match(/\uFFFD/g)?.length ?? 0;
  return Buffer.byteLength(shown, 'utf8') - 2 * replaced;
}

/** A failure result: what the model is told, nothing else. */
export function toolError(content: string, detail?: Record<string, unknown>): { content: string; isError: true; detail?: Record<string, unknown> } {
  return { content, isError: true, ...(detail ? { detail } : {}) };
}
