import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * `sop run --frozen --dry-run`: a preview calls no model and keeps no record, so the lock has nothing
 * to guard. The refusal says so, and names the command that checks the lock without running.
 */

afterAll(removeTempDirs);

describe('sop run --frozen --dry-run', () => {
  it('is USAGE (exit 2) saying why, with `sop lock FILE --check` and "drop --frozen" as what to do', async () => {
    const cwd = tempDir('sop-frozen-dry-');
    writeFileSync(path.join(cwd, 'my sop.yaml'), 'apiVersion: sop/v1\n');
    const refused = await sop(['run', 'my sop.yaml', '--frozen', '--dry-run', '--json'], { cwd });
    expect(refused.code).toBe(2);
    const error = envelopeOf<any>(refused).error;
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('--frozen cannot be used with --dry-run: --frozen guards a real run against an SOP, file or model changed since `sop lock`, and a dry run calls no model and keeps no record, so there is nothing for it to guard');
    expect(error.hint).toMatch(/^to check the lock without running, use `\S*sop(?:\.js)? lock 'my sop\.yaml' --check` \(exit 12 naming each drifted file\); to preview the prompts, drop --frozen$/);

    const plain = await sop(['run', 'my sop.yaml', '--dry-run', '--frozen'], { cwd });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('error USAGE: --frozen cannot be used with --dry-run: --frozen guards a real run');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });

  it('still refuses --lock with --dry-run as before', async () => {
    const cwd = tempDir('sop-frozen-dry-');
    const refused = await sop(['run', 'x.yaml', '--dry-run', '--frozen', '--lock', 'other.lock'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--lock cannot be used with --dry-run');
  });
});
