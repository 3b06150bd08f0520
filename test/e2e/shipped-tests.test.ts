import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sop } from '../cli/run-cli.js';

/**
 * Every test file shipped with an SOP (sops/ and examples/: `X.test.yaml` beside `X.yaml`, or
 * `tests/*.yaml`) passes under the real `sop test`, so CI keeps the shipped SOPs' branches green.
 */
function shippedTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.test.yaml') || (path.posix.basename(dir) === 'tests' && entry.name.endsWith('.yaml'))) found.push(relative);
    }
  };
  for (const dir of ['sops', 'examples']) if (existsSync(path.join(repoRoot, dir))) walk(dir);
  return found.sort();
}

/** A JavaScript stack frame (`sop test` prints `at FILE.yaml:LINE:COL` for test-file places, which is not one). */
const JS_STACK_FRAME = /^\s+at .*\.[cm]?[jt]s:\d+:\d+\)?$/m;

describe('shipped SOP tests', () => {
  const files = shippedTestFiles();

  it('cover every example', () => {
    const tested = new Set(files.map((file) => file.split('/').slice(0, 2).join('/')));
    for (const example of ['support-desk', 'debate', 'data-check', 'research-brief', 'data-validation', 'mcp-tools', 'tested-code', 'ci']) {
      expect(tested, example).toContain(`examples/${example}`);
    }
  });

  it.each(files)('%s passes', async (file) => {
    const result = await sop(['test', file]);
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(output).not.toMatch(JS_STACK_FRAME);
    expect(output).toMatch(/[1-9]\d* passed, 0 failed/);
  });
});
