/** A Redis stream entry id (`<ms>-<seq>`). */
export const STREAM_ID = /^\d+-\d+$/;

/**
 * Orders two stream entry ids (`<ms>-<seq>`, as Redis writes them): by ms, then by seq. Both parts
 * are decimal integers without leading zeros that may pass 2^53, so each is compared as text: the
 * longer is the larger, and of equal length the later in character order. Exact without parsing a
 * number: it runs for every event a submitter's follower reads. An id without `-` has seq 0.
 */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const aDash = a.indexOf('-');
  const bDash = b.indexOf('-');
  const aMs = aDash === -1 ? a : a.slice(0, aDash);
  const bMs = bDash === -1 ? b : b.slice(0, bDash);
  return compareDecimals(aMs, bMs) || compareDecimals(aDash === -1 ? '0' : a.slice(aDash + 1), bDash === -1 ? '0' : b.slice(bDash + 1));
}

/** Two non-negative decimal integers without leading zeros, by value: length first, then the digits. */
function compareDecimals(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}
