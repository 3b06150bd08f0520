/**
 * Other values for an item of a `uniqueItems` array whose generated value repeats an earlier item:
 * strings cut to a short `maxLength` ("Todo CLI tag 1" and "Todo CLI tag 2" both become "Todo")
 * and numbers on a coarse `multipleOf` grid collide, and the array fell short of its `minItems`.
 */

import { deepEqual, isSchemaObject, matchesSchema, type Schema } from './schema-check.js';
import { flattenSchema } from './schema-merge.js';
import { codePointLength, truncateCodePoints } from './text-utils.js';

/** Candidates tried per item: enough for any array a schema asks of a model, bounded for huge grids. */
const MAX_CANDIDATES = 500;

/** A value of `item` unlike every one of `taken`, or undefined when none is found (an enum used up). */
export function distinctItem(item: Schema | undefined, root: Schema, repeated: unknown, taken: readonly unknown[]): unknown {
  const schema = flattenSchema(item, root);
  if (!isSchemaObject(schema)) return undefined;
  let tried = 0;
  for (const candidate of candidates(schema, repeated)) {
    if (tried++ >= MAX_CANDIDATES) return undefined;
    if (taken.some((value) => deepEqual(value, candidate))) continue;
    if (matchesSchema(schema, candidate, root)) return candidate;
  }
  return undefined;
}

function* candidates(schema: Record<string, unknown>, repeated: unknown): Generator<unknown> {
  if (Array.isArray(schema['enum'])) {
    yield* schema['enum'];
    return;
  }
  if (Array.isArray(schema['examples'])) yield* schema['examples'];
  if (typeof repeated === 'string') yield* stringVariants(repeated, schema);
  else if (typeof repeated === 'number') yield* numberVariants(repeated, schema);
  else if (typeof repeated === 'boolean') yield !repeated;
}

/**
 * The string with a number or a letter at its end, added (cut first to stay within `maxLength`)
 * or in place of its last characters (for a fixed length): "Todo" → "Todo 2", "Todo2", "Tod2", ...;
 * then "Todob", "Todb", ... for a pattern that admits no digit.
 */
function* stringVariants(text: string, schema: Record<string, unknown>): Generator<string> {
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  const trimmed = text.replace(/[\s_\-.]*\d+$/u, '');
  const base = trimmed === '' ? text : trimmed;
  const length = codePointLength(base);
  const added = (end: string): string => `${truncateCodePoints(base, Math.max(0, Math.min(length, max - codePointLength(end))))}${end}`;
  const replaced = (end: string): string => `${truncateCodePoints(base, Math.max(0, length - codePointLength(end)))}${end}`;
  const numbers = Array.from({ length: 98 }, (_, index) => String(index + 2));
  // "Plan 2" when it fits whole; cut, the space would only take a character of the word.
  for (const number of numbers) if (length + 1 + number.length <= max) yield `${base} ${number}`;
  for (const number of numbers) yield added(number);
  for (const number of numbers) yield replaced(number);
  for (const letter of 'bcdefghijklmnopqrstuvwxyz') {
    yield added(letter);
    yield replaced(letter);
  }
}

/** Numbers near the repeated one, on its grid (`multipleOf`, or integers), upwards then downwards. */
function* numberVariants(value: number, schema: Record<string, unknown>): Generator<number> {
  const multipleOf = typeof schema['multipleOf'] === 'number' && schema['multipleOf'] > 0 ? schema['multipleOf'] : undefined;
  const integer = schema['type'] === 'integer' || Number.isInteger(value);
  const low = typeof schema['minimum'] === 'number' ? schema['minimum'] : typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] : undefined;
  const high = typeof schema['maximum'] === 'number' ? schema['maximum'] : typeof schema['exclusiveMaximum'] === 'number' ? schema['exclusiveMaximum'] : undefined;
  // A real number between two bounds: steps of a sixty-fourth of the range fit any range.
  const unit = multipleOf ?? (integer ? 1 : low !== undefined && high !== undefined && high > low ? (high - low) / 64 : 1);
  const at = (step: number): number => Number((value + step * unit).toPrecision(15));
  for (let step = 1; step < MAX_CANDIDATES / 2; step += 1) {
    yield at(step);
    yield at(-step);
  }
}
