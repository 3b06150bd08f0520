import { createRequire } from 'node:module';
import type { jsonrepair as jsonrepairFunction } from 'jsonrepair';

const require = createRequire(import.meta.url);

const FENCE = /```[^\n`]*\n([\s\S]*?)```/g;

/**
 * Finds the JSON in a model's reply: the first fenced block that holds JSON, else the span from
 * the first `{`/`[` to the last matching closer (prose around it is dropped), else the whole text.
 */
export function extractJsonText(text: string): string {
  for (const match of text.matchAll(FENCE)) {
    const body = (match[1] ?? '').trim();
    if (body.startsWith('{') || body.startsWith('[')) return body;
  }
  // An opening fence without a closing one (a truncated reply).
  const open = /```[^\n`]*\n([\s\S]*)$/.exec(text);
  const source = open && !text.slice(open.index + 3).includes('```') ? (open[1] ?? '') : text;
  const start = firstIndexOfAny(source, ['{', '[']);
  if (start < 0) return source.trim();
  const closer = source[start] === '{' ? '}' : ']';
  const end = source.lastIndexOf(closer);
  return (end > start ? source.slice(start, end + 1) : source.slice(start)).trim();
}

/** The outcome of reading JSON out of a reply. */
export type JsonReadResult = { ok: true; value: unknown; repaired: boolean } | { ok: false; error: string };

/** Extracts, parses and, when plain parsing fails, repairs (`jsonrepair`) the JSON in a reply. */
export function readJson(text: string): JsonReadResult {
  const candidate = extractJsonText(text);
  if (candidate === '') return { ok: false, error: 'the reply is empty; expected a JSON value' };
  try {
    return { ok: true, value: JSON.parse(candidate), repaired: false };
  } catch (parseError) {
    try {
      // Loaded only when a reply needs repairing (most parse as they are); its CommonJS build loads synchronously.
      const { jsonrepair } = require('jsonrepair') as { jsonrepair: typeof jsonrepairFunction };
      return { ok: true, value: JSON.parse(jsonrepair(candidate)), repaired: true };
    } catch {
      return { ok: false, error: `the reply is not JSON (${(parseError as Error).message})` };
    }
  }
}

function firstIndexOfAny(text: string, needles: string[]): number {
  let best = -1;
  for (const needle of needles) {
    const index = text.indexOf(needle);
    if (index >= 0 && (best < 0 || index < best)) best = index;
  }
  return best;
}
