import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** How long the eval of one case may take here before it counts as hung (it hung for ever). */
const HUNG_MS = 30_000;

/**
 * `sop eval --dataset` a named pipe (a dataset made by another program as it is read): the dataset
 * was read a second time for its fingerprint, and that read waited for ever on the pipe.
 */
describe('sop eval: a dataset given as a named pipe', () => {
  it('is read once: the eval runs its case and exits 0', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-eval-pipe-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    execFileSync('mkfifo', [path.join(cwd, 'cases.yaml')]);
    const child = spawn(process.execPath, [binPath, 'eval', 'answer.yaml', '--dataset', 'cases.yaml'], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const pipe = await open(path.join(cwd, 'cases.yaml'), 'w');
    await pipe.writeFile('apiVersion: sop-eval/v1\ncases:\n  - { name: q1, inputs: { idea: "question 1" } }\n');
    await pipe.close();
    const timer = setTimeout(() => child.kill('SIGKILL'), HUNG_MS);
    const code = await exited;
    clearTimeout(timer);
    expect(code, output).toBe(0);
    // Given no model, every call is the built-in offline model's: labelled `offline`, as runs say.
    expect(output).toMatch(/^\[1\/1\] q1 on offline: passed$/m);
  });
});
