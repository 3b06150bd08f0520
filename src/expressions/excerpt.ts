import { textStart } from '../spec/text-encoding.js';

/** Longest expression text quoted whole in a message; longer or multi-line ones are quoted in part. */
const WHOLE_MAX = 80;

/**
 * An expression as a message quotes it: whole when it is one short line, else the line holding
 * `offset` (the failing part; the first line without one), with `…` for the lines left out. The
 * message's location already points into the file: repeating a multi-line `where` whole buried
 * the reason under it.
 */
export function expressionExcerpt(source: string, offset?: number): string {
  const trimmed = source.trim();
  if (!trimmed.includes('\n') && trimmed.length <= WHOLE_MAX) return trimmed;
  const lines = source.split('\n');
  let index = lines.findIndex((line) => line.trim() !== '');
  if (offset !== undefined) {
    const at = source.slice(0, Math.max(0, Math.min(offset, source.length))).split('\n').length - 1;
    if (lines[at]?.trim()) index = at;
  }
  let line = lines[index]!.trim();
  if (line.length > WHOLE_MAX) line = `${textStart(line, WHOLE_MAX - 1)}…`;
  const before = lines.slice(0, index).some((text) => text.trim() !== '');
  const after = lines.slice(index + 1).some((text) => text.trim() !== '');
  return `${before ? '… ' : ''}${line}${after ? ' …' : ''}`;
}
