import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, tempDir } from './run-cli.js';

/**
 * `sop run` on a real pseudo-terminal (util-linux `script`): the live status line redraws itself with
 * `\r` and an erase-line escape, which a dumb terminal (`TERM=dumb`: Emacs' shell, some CI consoles)
 * prints as text, each redraw appended to the last. There the progress is plain lines.
 */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const ERASE_LINE = '\x1b[2K';

afterAll(() => removeTempDirs());

/** `sop run sop.yaml hi` on a terminal of this TERM: what the terminal showed, and the exit code. */
function runOnTerminal(cwd: string, term: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, TERM: term, FORCE_COLOR: '0', SHELL: '/bin/sh' };
    for (const name of ['CI', 'GITHUB_ACTIONS', 'NO_COLOR']) delete env[name];
    const command = `'${process.execPath}' '${binPath}' run sop.yaml hi`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasScript)('sop run on a dumb terminal', () => {
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
