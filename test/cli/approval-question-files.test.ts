import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, tempDir } from './run-cli.js';

/**
 * A human gate's question on a terminal names the files to review from the current folder, where
 * the reader opens them: it named them within the workspace (`answer.md` for `out/answer.md`).
 * The terminal is a real pseudo-terminal made by util-linux `script`; the test types `a`.
 */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

// The fixture's one gated action, its output written to a file.
const SOP = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'utf8').replace(
  '        output: { type: Answer, format: markdown }\n',
  '        output: { type: Answer, format: markdown }\n        artifacts: [{ path: answer.md }]\n',
);

/** `sop run ... --workspace out` on a terminal, approving the question once it is asked. */
function runOnTerminalAndApprove(cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', SHELL: '/bin/sh' };
    for (const name of ['CI', 'GITHUB_ACTIONS', 'VITEST', 'VITEST_WORKER_ID']) delete env[name];
    const command = `'${process.execPath}' '${binPath}' run sop.yaml hi --workspace out`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = false;
    const giveUp = setTimeout(() => child.stdin.end(), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (!answered && output.includes('[e]dit?')) {
        answered = true;
        child.stdin.write('a\r');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(giveUp);
      resolve({ code, output });
    });
  });
}

afterAll(() => removeTempDirs());

describe.skipIf(!hasScript)('a human gate question on a terminal', () => {
  it('names the file to review by its path from the current folder (out/answer.md)', async () => {
    const dir = tempDir('sop-approval-files-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    const run = await runOnTerminalAndApprove(dir);
    expect(run.output).toContain('Ship it?');
    expect(run.output).toContain('files: out/answer.md');
    expect(existsSync(path.join(dir, 'out', 'answer.md'))).toBe(true);
    expect(run.code, run.output).toBe(0);
  }, 40_000);
});
