import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

describe('a run stopped by settings.max_tokens', () => {
  it('says the limit in tokens (not dollars) and prints its hint once, at the end', async () => {
    const dir = tempDir();
    expect((await sop(['init', 'my1'], { cwd: dir })).code).toBe(0);
    const sopFile = path.join(dir, 'my1', 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('  n_round: 4\n', '  n_round: 4\n  max_tokens: 100\n'));
    const result = await sop(['run', path.join('my1', 'sop.yaml'), 'tidal', '--ci'], { cwd: dir });
    expect(result.code).toBe(6);
    const used = /^budget exhausted after (\d+) tokens \(max_tokens 100\)$/m.exec(result.stderr);
    expect(used, result.stderr).not.toBeNull();
    expect(result.stderr).not.toContain('budget exhausted after $');
    const hints = result.stderr.split('\n').filter((line) => line.startsWith('hint: '));
    expect(hints).toEqual([`hint: the run used ${used?.[1]} tokens of its max_tokens 100; raise \`settings.max_tokens\` in the SOP, then: ${hints[0]?.split('then: ')[1]}`]);
    // The hint ends the output, after the summary.
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(hints[0]);
    expect(result.stderr.indexOf('budget exhausted after')).toBeLessThan(result.stderr.indexOf('status: budget_exhausted'));
  });
});
