import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A `sop test` file or an eval dataset given where an SOP is expected: the hint said to use
 * `sop/v1` "or upgrade sop", which no upgrade fixes; it now says which command reads the file.
 */
describe('a test file or a dataset given as an SOP', () => {
  it('sop validate of the test file sop init wrote: the hint names sop test, exit 3', async () => {
    const cwd = tempDir('sop-other-formats-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const result = await sop(['validate', 'sop.test.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toMatch(/^sop\.test\.yaml:2:13: error API_VERSION_UNSUPPORTED: unsupported apiVersion `sop-test\/v1`$/m);
    expect(result.stdout).toContain('hint: this is a test file of `sop test`, not an SOP: run it with `sop test FILE` (docs/testing.md)');
    expect(result.stdout).not.toContain('upgrade sop');
  });

  it('sop run of an eval dataset: the hint names sop eval --dataset, exit 3', async () => {
    const cwd = tempDir('sop-other-formats-');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: a, inputs: { idea: x } }\n');
    const result = await sop(['run', 'cases.yaml', 'an idea'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('hint: this is a dataset of `sop eval`, not an SOP: give it as `sop eval SOP --dataset FILE` (docs/eval.md)');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
