import { REDACTED, isSecretKey } from '../config/secrets.js';

/** `name:` of a YAML or JSON mapping entry, quoted or not, and the spaces after its colon. */
// Tried only where a name starts (not again inside one): a 200 000-character word is one attempt, not 200 000.
const ENTRY = /(["']?)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)\1[ \t]*:[ \t]*/g;

/** Lines either side of the error's that a code frame shows (render-diagnostics.ts: one above, one below). */
const FRAME_REACH = 1;

/** A value that only names an environment variable (`${env:OPENAI_API_KEY}`): no secret, and worth showing. */
const ENV_REFERENCE = /^(["']?)\$\{env:[A-Za-z_][A-Za-z0-9_]*\}\1$/;

/**
 * The source with the value of every secret-named entry (`api_key`, `*_token`, `Authorization`, ...,
 * as `sop config` masks them) replaced by `***`, and the column moved by what that took out of the
 * line before it. A code frame shows a few lines of a configuration file around a mistake, and an
 * inline key on a neighbouring line would otherwise reach a CI log.
 */
export function secretsMaskedForFrame(source: string, line: number, column: number | undefined): { text: string; column: number | undefined } {
  let shift = 0;
  const lines = source.split('\n').map((text, index) => {
    // Only the lines a frame shows (the line and one either side) are read: a frame needs no more.
    if (Math.abs(index - (line - 1)) > FRAME_REACH) return text;
    const masked = maskLine(text);
    if (index === line - 1 && column !== undefined) shift = shiftBefore(masked.cuts, column);
    return masked.text;
  });
  return { text: lines.join('\n'), column: column === undefined ? undefined : Math.max(1, column - shift) };
}

interface Cut {
  /** 1-based column where the replaced value started. */
  start: number;
  /** Characters taken out of the line. */
  removed: number;
}

function maskLine(text: string): { text: string; cuts: Cut[] } {
  const cuts: Cut[] = [];
  let out = '';
  let from = 0;
  for (const match of text.matchAll(ENTRY)) {
    const valueStart = (match.index ?? 0) + match[0].length;
    if (valueStart < from || !isSecretKey(match[2] as string)) continue;
    const valueEnd = endOfValue(text, valueStart, inFlow(text, match.index ?? 0));
    const value = text.slice(valueStart, valueEnd);
    if (value === '' || ENV_REFERENCE.test(value) || /^[|>{[]/.test(value)) continue;
    out += text.slice(from, valueStart) + REDACTED;
    cuts.push({ start: valueStart + 1, removed: value.length - REDACTED.length });
    from = valueEnd;
  }
  return { text: out + text.slice(from), cuts };
}

/** Whether the entry at `index` is inside a `{ ... }` or `[ ... ]` (its plain value then ends at `,`, `}` or `]`). */
function inFlow(text: string, index: number): boolean {
  const before = text.slice(0, index).trimEnd();
  return before.endsWith('{') || before.endsWith(',') || before.endsWith('[');
}

/** Where the value starting at `start` ends: its closing quote, else the end of the plain scalar. */
function endOfValue(text: string, start: number, flow: boolean): number {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    for (let index = start + 1; index < text.length; index++) {
      if (quote === '"' && text[index] === '\\') index++;
      else if (text[index] === quote) return index + 1;
    }
    return text.length;
  }
  const stop = flow ? /[,}\]]|\s#/ : /\s#/;
  const found = text.slice(start).search(stop);
  const end = found < 0 ? text.length : start + found;
  return start + text.slice(start, end).trimEnd().length;
}

/** How far left the column moves: the characters taken out of values that end before it. */
function shiftBefore(cuts: Cut[], column: number): number {
  return cuts.filter((cut) => cut.start < column).reduce((sum, cut) => sum + Math.min(cut.removed, Math.max(0, column - cut.start - REDACTED.length)), 0);
}
