/**
 * A tool's output as the model gets it: at most `maxBytes` of UTF-8, keeping the head and the tail
 * (where a listing starts and where an error ends up) with a note of what was cut in between.
 */
export function capOutput(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const keep = Math.max(0, maxBytes - 64);
  const head = Math.floor(keep / 2);
  const tail = keep - head;
  const cut = bytes.length - head - tail;
  // Cuts through multi-byte characters decode as U+FFFD at the edges; drop those.
  const start = bytes.subarray(0, head).toString('utf8').replace(/\uFFFD+$/, '');
  const end = bytes.subarray(bytes.length - tail).toString('utf8').replace(/^\uFFFD+/, '');
  return `${start}\n[... ${cut} bytes cut ...]\n${end}`;
}

/** A failure result: what the model is told, nothing else. */
export function toolError(content: string, detail?: Record<string, unknown>): { content: string; isError: true; detail?: Record<string, unknown> } {
  return { content, isError: true, ...(detail ? { detail } : {}) };
}
