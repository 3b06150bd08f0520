import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * `--junit` writes JUnit XML whatever the name: `--junit results.json` (meaning the command's JSON)
 * wrote XML under a name saying JSON, after the whole run. Refused before the work now, as
 * `sop eval --out results.xml` is (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe('--junit with another format\'s extension', () => {
  it('sop run --junit results.json is refused (exit 2) before the run, naming --json and the name to give', async () => {
    const dir = tempDir('sop-junit-run-');
    const result = await sop(['run', SOP, 'spring', '--junit', 'results.json', '--runs-dir', 'runs'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error USAGE: --junit results.json: `sop run` writes JUnit XML (FILE.xml), not JSON');
    expect(result.stderr).toContain('hint: the results as JSON are printed by `sop run --json`; for the JUnit report give --junit results.xml');
    expect(existsSync(path.join(dir, 'results.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'runs')) ? readdirSync(path.join(dir, 'runs')) : []).toEqual([]);
  });

  it('sop eval --junit report.html is refused before any run, naming where the eval\'s page is', async () => {
    const dir = tempDir('sop-junit-eval-');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--junit', 'report.html'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("hint: the eval's HTML page is written into its record, .sop/evals/ID/report.html; for the JUnit report give --junit report.xml");
    expect(existsSync(path.join(dir, '.sop', 'evals'))).toBe(false);
  });

  it('sop test --junit results.json is refused; --junit results.xml is written', async () => {
    const dir = tempDir('sop-junit-test-');
    expect((await sop(['init'], { cwd: dir })).code).toBe(0);
    const refused = await sop(['test', '--junit', 'results.json'], { cwd: dir });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('error USAGE: --junit results.json: `sop test` writes JUnit XML (FILE.xml), not JSON');
    // Not even the refusal's own JUnit report lands under the refused name.
    expect(existsSync(path.join(dir, 'results.json'))).toBe(false);
    const written = await sop(['test', '--junit', 'results.xml'], { cwd: dir });
    expect(written.code, written.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'results.xml'))).toBe(true);
  });
});
