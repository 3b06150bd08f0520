/** Room kept for the `[... N bytes cut ...]` note inside the cap. */
const NOTE_BYTES = 64;

/**
 * A tool's output as the model gets it: at most `maxBytes` of UTF-8, keeping the head and the tail
 * (where a listing starts and where an error ends up) with a note of what was cut in between.
 */
export function capOutput(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return capEnds(bytes, bytes, bytes.length, maxBytes);
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
  const cut = totalBytes - headBytes - tailBytes;
  // Cuts through multi-byte characters decode as U+FFFD at the edges; drop those.
  const start = head.subarray(0, headBytes).toString('utf8').replace(/\uFFFD+$/, '');
  const end = tail.subarray(tail.length - tailBytes).toString('utf8').replace(/^\uFFFD+/, '');
  return `${start}\n[... ${cut} bytes cut ...]\n${end}`;
}

/** A failure result: what the model is told, nothing else. */
export function toolError(content: string, detail?: Record<string, unknown>): { content: string; isError: true; detail?: Record<string, unknown> } {
  return { content, isError: true, ...(detail ? { detail } : {}) };
}
