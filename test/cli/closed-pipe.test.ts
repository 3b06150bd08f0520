import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** `sop ARGS | head -1` in a real shell: the reader goes away after one line. Returns sop's exit code and what head printed. */
function pipedToHead(cwd: string, args: string[], redirect: '' | '2>&1'): { code: number; shown: string } {
  const quoted = [process.execPath, binPath, ...args].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `${quoted} ${redirect} | head -1; echo "exit=\${PIPESTATUS[0]}"`;
  const result = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const code = Number(/exit=(\d+)/.exec(result.stdout)?.[1]);
  return { code, shown: result.stdout.split('\n')[0] ?? '' };
}

describe('a reader that goes away (`sop ... | head -1`)', () => {
  it('a run finishes and records itself in full (it crashed with EPIPE, leaving no report)', () => {
    const cwd = tempDir();
    const { code, shown } = pipedToHead(cwd, ['run', path.join(repoRoot, 'sops', 'software-company.yaml'), 'a todo app'], '2>&1');
    expect(shown).toMatch(/^run \d{8}-\d{6}-[0-9a-f]{6}: software-company/);
    expect(code).toBe(0);
    const runs = path.join(cwd, '.sop', 'runs');
    const [runId] = readdirSync(runs);
    expect(readdirSync(path.join(runs, runId as string)).sort()).toEqual(['journal.jsonl', 'report.html', 'report.json']);
  });

  it('validate exits with its documented code (3), not 13 from an exit that waited for a drain forever', () => {
    const cwd = tempDir();
    const files = [path.join(repoRoot, 'sops', 'software-company.yaml'), path.join(repoRoot, 'test', 'fixtures', 'bad', 'typo-field.yaml')];
    expect(pipedToHead(cwd, ['validate', ...files], '')).toMatchObject({ code: 3, shown: expect.stringContaining('valid') });
  });
});
