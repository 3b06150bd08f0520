/**
 * Numbers for the offline generator: 1 (then 2, 3, ... for later array items), moved inside
 * minimum/maximum (inclusive or exclusive) and onto a multiple of `multipleOf`, checked the
 * way ajv checks it (`value / multipleOf` must be an integer).
 */

import type { SchemaObject } from './schema-check.js';

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function generateNumber(schema: SchemaObject, integer: boolean, ordinal: number | undefined): number {
  const minimum = numeric(schema.minimum);
  const maximum = numeric(schema.maximum);
  const exclusiveMinimum = numeric(schema.exclusiveMinimum);
  const exclusiveMaximum = numeric(schema.exclusiveMaximum);
  const multipleOf = numeric(schema.multipleOf);
  const multiple = multipleOf !== undefined && multipleOf > 0 ? multipleOf : undefined;

  const valid = (value: number): boolean =>
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minimum === undefined || value >= minimum) &&
    (maximum === undefined || value <= maximum) &&
    (exclusiveMinimum === undefined || value > exclusiveMinimum) &&
    (exclusiveMaximum === undefined || value < exclusiveMaximum) &&
    (multiple === undefined || value / multiple === Math.trunc(value / multiple));

  const variant = (ordinal ?? 1) - 1;
  const low = minimum ?? exclusiveMinimum;
  const high = maximum ?? exclusiveMaximum;
  let target = 1 + variant;
  if (low !== undefined && target < low) target = low + variant;
  if (high !== undefined && target > high) target = high - variant;
  const middle = low !== undefined && high !== undefined ? (low + high) / 2 : undefined;

  if (multiple === undefined && !integer) {
    const candidates = [target, minimum, maximum, middle, low === undefined ? undefined : low + 1, high === undefined ? undefined : high - 1];
    return candidates.find((value): value is number => value !== undefined && valid(value)) ?? low ?? high ?? 0;
  }

  // Walk the grid of allowed values (multiples of `multipleOf`, or integers) from the target.
  const unit = multiple ?? 1;
  const lowestStep = low === undefined ? -Infinity : Math.ceil(low / unit);
  const highestStep = high === undefined ? Infinity : Math.floor(high / unit);
  const start = Math.min(Math.max(Math.ceil(target / unit), lowestStep), highestStep);
  const at = (step: number): number => Number((step * unit).toPrecision(15));
  for (let step = start; step <= start + 64 && step <= highestStep; step += 1) if (valid(at(step))) return at(step);
  for (let step = start - 1; step >= start - 64 && step >= lowestStep; step -= 1) if (valid(at(step))) return at(step);
  if (middle !== undefined) {
    for (const value of [middle, Math.floor(middle), Math.ceil(middle)]) if (valid(value)) return value;
  }
  return low ?? high ?? 0;
}
