import { describe, expect, it } from 'vitest';
import { capEnds, capOutput } from '../../src/tools/index.js';

describe('capOutput', () => {
  it('leaves short text alone and keeps head and tail of long text within the cap', () => {
    expect(capOutput('short', 100)).toBe('short');
    const capped = capOutput(`HEAD${'-'.repeat(10_000)}TAIL`, 200);
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(200);
    expect(capped).toMatch(/^HEAD-+\n\[\.\.\. \d+ bytes cut \.\.\.\]\n-+TAIL$/);
    const kept = Buffer.byteLength(capped.replace(/\n\[\.\.\. \d+ bytes cut \.\.\.\]\n/, ''));
    expect(kept + Number(/(\d+) bytes cut/.exec(capped)?.[1])).toBe(10_008);
  });

  it('never splits a multi-byte character', () => {
    for (let max = 70; max < 90; max += 1) {
      const capped = capOutput('é€😀'.repeat(500), max);
      expect(capped).not.toContain('\uFFFD');
      expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(max);
    }
  });

  it('drops escape sequences, also one the cut goes through (no `[0m` left at either side of the cut)', () => {
    const lines = '\u001b[31mx\u001b[0m '.repeat(1000);
    const link = '\u001b]8;;https://example.com/a/long/link\u001b\\link\u001b]8;;\u001b\\';
    const raw = Buffer.from(`HEAD${lines}${link} TAIL`);
    for (let max = 100; max < 400; max += 1) {
      const capped = capEnds(raw, raw, raw.length, max);
      expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(max);
      expect(capped).toMatch(/^HEAD(x )*x?\n\[\.\.\. \d+ bytes cut \.\.\.\]\n( ?x)* ?(link )?TAIL$/);
    }
  });
});
