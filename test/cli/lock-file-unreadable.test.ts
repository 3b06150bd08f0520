import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * The lock file (`--lock FILE`, default sop.lock) was read whole with readFileSync: `sop lock
 * --check --lock /dev/zero` grew without end, and a named pipe nobody writes to hung `sop lock
 * --check` and `sop run --frozen` for good, Ctrl-C and `timeout` unheard. Both are refused now
 * (LOCK_INVALID, exit 12), as a lock that is not valid JSON is.
 */
let cwd: string;

beforeAll(async () => {
  cwd = tempDir('sop-lock-unreadable-');
  expect((await sop(['init', '.'], { cwd })).code).toBe(0);
  execFileSync('mkfifo', [path.join(cwd, 'pipe.lock')]);
  mkdirSync(path.join(cwd, 'locks'));
});

describe('a lock file that is no file to read', () => {
  it('/dev/zero: refused at the cap, by sop lock --check and by sop run --frozen', async () => {
    for (const args of [['lock', 'sop.yaml', '--check', '--lock', '/dev/zero'], ['run', 'sop.yaml', 'tides', '--frozen', '--lock', '/dev/zero']]) {
      const started = Date.now();
      const result = await sop(args, { cwd });
      expect(result.code).toBe(12);
      expect(result.stderr).toBe('error LOCK_INVALID: /dev/zero is endless or more than 8 MB, more than a lock file holds\n  hint: regenerate it with `sop lock sop.yaml --lock /dev/zero`; never edit it by hand\n');
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  });

  it('a named pipe no program writes to: given up on after 5 s, not waited on for ever', async () => {
    const result = await sop(['lock', 'sop.yaml', '--check', '--lock', 'pipe.lock'], { cwd });
    expect(result.code).toBe(12);
    expect(result.stderr).toBe('error LOCK_INVALID: cannot read pipe.lock: it is a named pipe no program wrote to within 5 s; expected a regular file\n  hint: give the lock file `sop lock sop.yaml --lock pipe.lock` wrote (sop.lock beside the SOP)\n');
  }, 20_000);

  it('a folder: said in words, not node\'s EISDIR; --json gives the code', async () => {
    const result = await sop(['lock', 'sop.yaml', '--check', '--lock', 'locks', '--json'], { cwd });
    expect(result.code).toBe(12);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 12, error: { code: 'LOCK_INVALID', message: 'cannot read locks: it is a folder' } });
  });
});
