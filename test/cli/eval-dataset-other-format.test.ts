import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A new user gave an example's `sop.test.yaml` as the eval dataset: 12 errors, one per field an eval
 * case does not have (`strict`, `answers`, `script`, ...), after "`sop-test/v1` is not allowed here".
 * A `sop test` file, or the SOP itself, is now one error at its `apiVersion` naming what the file
 * is and the command that takes it (exit 2, nothing run).
 */
describe('sop eval --dataset given another command\'s file', () => {
  const cwd = tempDir('sop-eval-other-format-');
  cpSync(path.join(repoRoot, 'examples', 'debate'), path.join(cwd, 'debate'), { recursive: true });

  it('a sop test file: one error saying so, with the sop test command', async () => {
    const result = await sop(['eval', 'debate/sop.yaml', '--dataset', 'debate/sop.test.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^debate\/sop\.test\.yaml:8:13: error SCHEMA_ENUM: this is a `sop test` file \(`apiVersion: sop-test\/v1`\), not an eval dataset$/m);
    expect(result.stderr).toContain('  expected: `apiVersion: sop-eval/v1`\n');
    expect(result.stderr).toContain('  hint: run its cases with `sop test debate/sop.test.yaml`; --dataset takes a file of `apiVersion: sop-eval/v1`');
    expect(result.stderr.match(/ error /g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_LINE);
    // The command named runs it.
    const tested = await sop(['test', 'debate/sop.test.yaml'], { cwd });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  });

  it('the SOP itself: one error naming the FILE argument and --dataset', async () => {
    const result = await sop(['eval', 'debate/sop.yaml', '--dataset', 'debate/sop.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^debate\/sop\.yaml:17:13: error SCHEMA_ENUM: this is an SOP \(`apiVersion: sop\/v1`\), not an eval dataset$/m);
    expect(result.stderr).toContain('  hint: give the SOP as the FILE argument and the cases with --dataset: `sop eval SOP.yaml --dataset cases.yaml` (docs/eval.md)');
    expect(result.stderr.match(/ error /g)).toHaveLength(1);
  });

  it('a sop test file as --defaults: said of the defaults file', async () => {
    const result = await sop(['eval', 'debate/sop.yaml', '--dataset', 'cases.jsonl', '--defaults', 'debate/sop.test.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error SCHEMA_ENUM: this is a `sop test` file (`apiVersion: sop-test/v1`), not an eval defaults file');
    expect(result.stderr).toContain('--defaults takes a file of `apiVersion: sop-eval/v1`');
  });
});

describe('sop test given an eval dataset', () => {
  // It said "no test files for cases.yaml" and to write its cases in cases.test.yaml.
  it('says the file is an eval dataset and names sop eval, exit 2', async () => {
    const cwd = tempDir('sop-test-dataset-');
    writeFileSync(path.join(cwd, 'my cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: one, inputs: { idea: x } }\n');
    const result = await sop(['test', 'my cases.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      "error USAGE: my cases.yaml is an eval dataset (`apiVersion: sop-eval/v1`), not an SOP or a test file\n  hint: run its cases with `sop eval SOP --dataset 'my cases.yaml'`; `sop test` takes an SOP, its test file (`X.test.yaml`) or a folder (docs/testing.md)\n",
    );
  });
});
