import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * The SOP edited after `sop lock`: `sop run --frozen` and `sop lock --check` name the file that
 * changed, say it changed since the lock pinned it (not only that two hashes differ), and say what
 * to run to accept the change, as `npm ci` does for a package-lock out of date.
 */

afterAll(removeTempDirs);

async function editedAfterLock(): Promise<string> {
  const cwd = tempDir('sop-lock-edited-');
  expect((await sop(['init', '.'], { cwd })).code).toBe(0);
  const locked = await sop(['lock', 'sop.yaml'], { cwd });
  expect(locked.code, locked.stderr).toBe(0);
  appendFileSync(path.join(cwd, 'sop.yaml'), '# edited after sop lock\n');
  return cwd;
}

describe('an SOP edited since sop lock pinned it', () => {
  it('sop run --frozen: exit 12 naming sop.yaml as changed since sop.lock pinned it, and `sop lock sop.yaml` to accept it', async () => {
    const cwd = await editedAfterLock();
    const refused = await sop(['run', 'sop.yaml', 'an idea', '--frozen'], { cwd });
    expect(refused.code).toBe(12);
    expect(refused.stderr).toContain('sop.lock: error LOCK_DRIFT: sop.yaml drifted from sop.lock (1 difference)');
    expect(refused.stderr).toMatch(/^sop\.yaml: error LOCK_DRIFT: changed since sop\.lock pinned it \(sha256 [0-9a-f]{12} there, now [0-9a-f]{12}\)$/m);
    expect(refused.stderr).toMatch(/hint: if the change is intended, run `\S*sop(?:\.js)? lock sop\.yaml` and commit sop\.lock; otherwise restore the pinned files/);
    expect(refused.stderr).not.toMatch(STACK_LINE);
  });

  it('sop lock --check --json: the same, the file in the diagnostic and in the message', async () => {
    const cwd = await editedAfterLock();
    const checked = await sop(['lock', 'sop.yaml', '--check', '--json'], { cwd });
    expect(checked.code).toBe(12);
    const error = envelopeOf<any>(checked).error;
    expect(error.message).toMatch(/^sop\.yaml drifted from sop\.lock \(1 difference\):\n {2}- sop\.yaml: changed since sop\.lock pinned it \(sha256 [0-9a-f]{12} there, now [0-9a-f]{12}\)$/);
    expect(error.diagnostics[1]).toMatchObject({ code: 'LOCK_DRIFT', file: 'sop.yaml', message: expect.stringMatching(/^changed since sop\.lock pinned it /) });
    expect(error.hint).toMatch(/run `\S*sop(?:\.js)? lock sop\.yaml` and commit sop\.lock/);
  });
});
