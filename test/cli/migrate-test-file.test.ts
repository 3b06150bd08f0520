import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop migrate sop.test.yaml`: a test file is not an SOP. It was told "no migration leads from it to
 * sop/v1 ... a newer file needs a newer sop", which sent the user after a newer sop.
 */

afterAll(removeTempDirs);

describe('sop migrate given a file of another of sop\'s formats', () => {
  it('a test file: located at its apiVersion, says it is a test file for `sop test` and that migrate takes SOP files; the file is left alone', async () => {
    const cwd = tempDir('sop-migrate-test-file-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const before = readFileSync(path.join(cwd, 'sop.test.yaml'), 'utf8');
    const line = before.split('\n').findIndex((text) => text.startsWith('apiVersion:')) + 1;

    const refused = await sop(['migrate', 'sop.test.yaml', '--write'], { cwd });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`sop.test.yaml:${line}:13: error API_VERSION_UNSUPPORTED: this is not an SOP but a test file (\`sop-test/v1\`): \`sop migrate\` upgrades SOP files (\`apiVersion: sop/v1\`)`);
    expect(refused.stderr).toContain('expected: an SOP file, of apiVersion sop/v1');
    expect(refused.stderr).toMatch(/hint: run its cases with `\S*sop(?:\.js)? test sop\.test\.yaml`; `sop-test\/v1` is the only version of its format, so the file itself needs no upgrade \(to upgrade the SOP it goes with, give that SOP to `\S*sop(?:\.js)? migrate`\)/);
    expect(refused.stderr).not.toContain('newer sop');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(path.join(cwd, 'sop.test.yaml'), 'utf8')).toBe(before);
  });

  it('an eval dataset, in --json: the same refusal, naming `sop eval`', async () => {
    const cwd = tempDir('sop-migrate-test-file-');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n    inputs: { idea: x }\n');
    const refused = await sop(['migrate', 'cases.yaml', '--json'], { cwd });
    expect(refused.code).toBe(3);
    const error = envelopeOf<any>(refused).error;
    expect(error.code).toBe('API_VERSION_UNSUPPORTED');
    expect(error.message).toContain('this is not an SOP but an eval dataset (`sop-eval/v1`): `sop migrate` upgrades SOP files');
    expect(JSON.stringify(error)).toContain('run it with `');
    expect(JSON.stringify(error)).toContain('eval SOP --dataset cases.yaml`');
  });

  it('an SOP of a version no migration knows still gets the newer-sop hint', async () => {
    const cwd = tempDir('sop-migrate-test-file-');
    writeFileSync(path.join(cwd, 'future.yaml'), 'apiVersion: sop/v9\n');
    const refused = await sop(['migrate', 'future.yaml'], { cwd });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('unsupported apiVersion `sop/v9`: no migration leads from it to sop/v1');
    expect(refused.stderr).toContain('a newer file needs a newer sop');
  });
});
