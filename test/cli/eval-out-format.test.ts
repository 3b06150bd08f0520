import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * `sop eval --out` writes the results as JSON, whatever the name: `--out results.xml` (meaning
 * `--junit`) or `--out report.html` (meaning the eval's page) got JSON under a name saying XML or
 * HTML, exit 0, after every run. Refused before any run now, as `sop report --out run.json` is
 * (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const CASES = 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n';

describe('sop eval --out with another format\'s extension', () => {
  it('--out results.xml is refused (exit 2) before any run, naming --junit and the name to give', async () => {
    const dir = tempDir('sop-eval-out-');
    writeFileSync(path.join(dir, 'cases.yaml'), CASES);
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--out', 'results.xml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error USAGE: --out results.xml: `sop eval` writes the results file as JSON (FILE.json), not XML');
    expect(result.stderr).toContain('hint: JUnit XML is written by `sop eval --junit FILE`; for the results give --out results.json');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(dir, 'results.xml'))).toBe(false);
    expect(existsSync(path.join(dir, '.sop', 'evals'))).toBe(false);
  });

  it('--out report.html is refused in the --json envelope, naming where the eval\'s page is', async () => {
    const dir = tempDir('sop-eval-out-');
    writeFileSync(path.join(dir, 'cases.yaml'), CASES);
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--out', 'report.html', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(envelopeOf(result)).toMatchObject({
      ok: false,
      error: {
        code: 'USAGE',
        message: '--out report.html: `sop eval` writes the results file as JSON (FILE.json), not HTML',
        hint: "the eval's HTML page is always written into its record, .sop/evals/ID/report.html (or under --evals-dir), and named on its last lines; for the results give --out report.json",
      },
    });
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });

  it('--out results.json still writes the results', async () => {
    const dir = tempDir('sop-eval-out-');
    writeFileSync(path.join(dir, 'cases.yaml'), CASES);
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--out', 'results.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'results.json'))).toBe(true);
  });
});
