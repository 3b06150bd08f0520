import { describe, expect, it } from 'vitest';
import { compareStreamIds } from '../../src/queue/stream-id.js';

/** The sign of a comparison: -1, 0 or 1. */
const order = (a: string, b: string): number => Math.sign(compareStreamIds(a, b));

/**
 * The follower's order of Redis stream ids (`<ms>-<seq>`): what decides whether an event read is
 * past the mark a submitter waits for. Compared as numbers, not as text, and exactly past 2^53.
 */
describe('compareStreamIds', () => {
  it('equal ids are equal, an id without seq is seq 0', () => {
    expect(order('1712345678901-0', '1712345678901-0')).toBe(0);
    expect(order('0-0', '0-0')).toBe(0);
    expect(order('5', '5-0')).toBe(0);
    expect(order('5', '5-1')).toBe(-1);
  });

  it('a longer number is the larger, though its text sorts first', () => {
    expect(order('9-0', '10-0')).toBe(-1);
    expect(order('10-0', '9-0')).toBe(1);
    expect(order('999999999999-5', '1000000000000-0')).toBe(-1);
  });

  it('the same ms: ordered by seq, seq of differing lengths too', () => {
    expect(order('1712345678901-2', '1712345678901-3')).toBe(-1);
    expect(order('1712345678901-3', '1712345678901-2')).toBe(1);
    expect(order('1712345678901-9', '1712345678901-10')).toBe(-1);
    expect(order('1712345678901-10', '1712345678901-9')).toBe(1);
  });

  it('ms decides before seq', () => {
    expect(order('1712345678902-0', '1712345678901-99999')).toBe(1);
    expect(order('1712345678901-99999', '1712345678902-0')).toBe(-1);
  });

  it('seq past 2^53, where numbers round, is still told apart', () => {
    expect(order('1-9007199254740993', '1-9007199254740992')).toBe(1);
    expect(order('1-18446744073709551615', '1-18446744073709551614')).toBe(1);
    expect(order('1-18446744073709551615', '2-0')).toBe(-1);
  });

  it('agrees with comparing the parts as big integers', () => {
    const parts = ['0', '1', '9', '10', '11', '99', '100', '1712345678901', '9007199254740992', '9007199254740993', '18446744073709551615'];
    const ids = parts.flatMap((ms) => parts.map((seq) => `${ms}-${seq}`));
    const big = (a: string, b: string): number => {
      const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
      const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
      if (aMs !== bMs) return aMs < bMs ? -1 : 1;
      return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
    };
    for (const a of ids) for (const b of ids) expect(order(a, b), `${a} vs ${b}`).toBe(big(a, b));
  });
});
