import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * The eval's report.html links each cell to its run's report.html by a relative URL. A runs folder
 * whose name holds a `#` or `%` (`--runs-dir "runs #1 50%"`) made a link the browser cut at the `#`
 * (the rest read as a fragment): every cell led to a missing page. The links are resolved here as
 * the browser resolves them, from the page's file:// URL (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe("sop eval's report.html", () => {
  it('links to each run\'s report.html through folders named with #, %, ?, spaces, quotes and non-ASCII letters', async () => {
    const dir = tempDir('sop-eval-links-');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n  - { name: second, inputs: { idea: autumn } }\n');
    const runsDir = path.join(dir, "runs #1 50% ?x it's ünï");
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--runs-dir', runsDir, '--evals-dir', 'evals #2'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const page = path.join(dir, /^report: (.+)$/m.exec(result.stderr)?.[1] as string);
    const data = JSON.parse(/<script type="application\/json" id="eval-data">(.*?)<\/script>/s.exec(readFileSync(page, 'utf8'))?.[1] as string) as { runs: Array<{ report?: string }> };
    expect(data.runs).toHaveLength(2);
    for (const run of data.runs) {
      const target = fileURLToPath(new URL(run.report as string, pathToFileURL(page)));
      expect(path.dirname(path.dirname(target))).toBe(runsDir);
      expect(path.basename(target)).toBe('report.html');
      expect(existsSync(target), target).toBe(true);
    }
  });
});
