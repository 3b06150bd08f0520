import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from './run-cli.js';
import { sopOnTerminal } from '../support/terminal.js';

/**
 * `sop run` on a real pseudo-terminal (util-linux `script`): the live status line redraws itself with
 * `\r` and an erase-line escape, which a dumb terminal (`TERM=dumb`: Emacs' shell, some CI consoles)
 * prints as text, each redraw appended to the last. There the progress is plain lines.
 */
const ERASE_LINE = '\x1b[2K';

afterAll(() => removeTempDirs());

/** `sop run sop.yaml hi` on a terminal of this TERM. */
const runOnTerminal = (cwd: string, term: string) => sopOnTerminal('run sop.yaml hi', { cwd, env: { TERM: term } });

describe('sop run on a dumb terminal', () => {
  it('prints plain progress lines, no live status line (a terminal that knows the escape still gets it)', async () => {
    const dumb = tempDir('sop-dumb-term-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'slow-gate', 'sop.yaml'), path.join(dumb, 'sop.yaml'));
    const smart = tempDir('sop-xterm-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'slow-gate', 'sop.yaml'), path.join(smart, 'sop.yaml'));
    const [onDumb, onXterm] = await Promise.all([runOnTerminal(dumb, 'dumb'), runOnTerminal(smart, 'xterm')]);
    expect(onDumb.code).toBe(0);
    expect(onDumb.output).toContain('[round 1] writer write ... done');
    expect(onDumb.output).not.toContain(ERASE_LINE);
    expect(onDumb.output).not.toMatch(/round 1 · \d+s · writer write/);
    expect(onXterm.code).toBe(0);
    expect(onXterm.output).toContain(ERASE_LINE);
  }, 40_000);
});
