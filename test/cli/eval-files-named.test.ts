import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * The end of `sop eval` names the files it wrote, as `sop run` names its run record: the HTML report
 * (the page to open), and the JUnit and results files when asked for. It named none of them: the
 * report's place was in docs/eval.md only (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe('sop eval names its files', () => {
  it('ends with the report.html path, then --junit and --out, relative to the folder it ran in', async () => {
    const dir = tempDir('sop-eval-files-');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--junit', 'eval.xml', '--out', 'results.json'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const evalId = /^eval (\S+):/m.exec(result.stderr)?.[1] as string;
    const report = path.join('.sop', 'evals', evalId, 'report.html');
    expect(existsSync(path.join(dir, report))).toBe(true);
    expect(result.stderr.endsWith(`[1/1] first on offline: passed\nreport: ${report}\njunit: eval.xml\nresults: results.json\n`), result.stderr).toBe(true);
  });

  it('names the report alone without --junit and --out, also with --quiet, and nothing outside the envelope with --json', async () => {
    const dir = tempDir('sop-eval-files-');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const quiet = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.stderr).toMatch(/^report: \.sop\/evals\/[^/\n]+\/report\.html\n$/);
    const json = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--json'], { cwd: dir });
    expect(envelopeOf<any>(json).ok).toBe(true);
    expect(json.stderr).not.toContain('report:');
  });
});

describe('a dataset given as the second argument', () => {
  it('is refused (exit 2) with the --dataset to write instead of only `see --help`', async () => {
    const dir = tempDir('sop-eval-dataset-arg-');
    writeFileSync(path.join(dir, 'my cases.csv'), 'name,idea\nfirst,spring\n');
    const result = await sop(['eval', SOP, 'my cases.csv'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe("error USAGE: unexpected argument my cases.csv\n  hint: a dataset is given with --dataset: `--dataset 'my cases.csv'` (see `sop eval --help`)\n");
  });
});
