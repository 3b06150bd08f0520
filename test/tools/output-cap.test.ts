import { describe, expect, it } from 'vitest';
import { capOutput } from '../../src/tools/index.js';

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
});
