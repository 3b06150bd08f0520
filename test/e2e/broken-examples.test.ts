import { copyFileSync, cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from '../cli/run-cli.js';

/**
 * Each new example's own test file, run by the real `sop test` against a deliberately broken copy
 * of its SOP (test/fixtures/broken/NAME.yaml: a wrong route, a loop bound off by one, a gate that
 * never holds the run), must fail (exit 16, TESTS_FAILED) and point at the SOP lines involved.
 */
const BROKEN = path.join(repoRoot, 'test', 'fixtures', 'broken');
const TESTS_FAILED = 16;

/** The example's folder (test file, scripts, sample data) with the broken copy as its sop.yaml. */
function brokenExample(name: string): { dir: string; brokenLine: number; partLine: number } {
  const dir = path.join(tempDir('sop-broken-'), name);
  cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true });
  copyFileSync(path.join(BROKEN, `${name}.yaml`), path.join(dir, 'sop.yaml'));
  const lines = readFileSync(path.join(dir, 'sop.yaml'), 'utf8').split('\n');
  const brokenLine = lines.findIndex((line) => line.includes('# BROKEN')) + 1;
  // The action or gate entry that holds the broken line: the nearest `- id:` / `- name:` above it.
  const partLine = lines.slice(0, brokenLine).findLastIndex((line) => /^\s*- (id|name):/.test(line)) + 1;
  return { dir, brokenLine, partLine };
}

/** Lines of sop.yaml the output points at (`.../sop.yaml:LINE:COL`). */
function sopLinesNamed(output: string): number[] {
  return [...output.matchAll(/sop\.yaml:(\d+):\d+/g)].map((match) => Number(match[1]));
}

/** A JavaScript stack frame (`sop test` prints `at FILE.yaml:LINE:COL` for test-file places, which is not one). */
const JS_STACK_FRAME = /^\s+at .*\.[cm]?[jt]s:\d+:\d+\)?$/m;

afterAll(removeTempDirs);

describe('sop test on broken copies of the examples', () => {
  it.each([
    ['support-desk', 'a billing ticket goes to the billing specialist'],
    ['debate', 'one exchange each, then the verdict'],
    ['data-check', 'a profile that never matches the file stops the run'],
  ])('%s: fails with exit 16 and points at the broken part of sop.yaml', async (name, failingCase) => {
    const { dir, brokenLine, partLine } = brokenExample(name);
    expect(brokenLine).toBeGreaterThan(0);
    // Failed cases keep their run folders under the temp dir: keep them in ours, removed after.
    const result = await sop(['test', dir], { env: { TMPDIR: tempDir('sop-broken-kept-') } });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(TESTS_FAILED);
    expect(output).not.toMatch(JS_STACK_FRAME);
    expect(output).toContain(`> ${failingCase}`);
    expect(output).toMatch(/\d+ passed, [1-9]\d* failed/);
    // The failure names the SOP file and a line from the broken action's or gate's entry down to the broken line.
    expect(sopLinesNamed(output).filter((line) => line >= partLine && line <= brokenLine), output).not.toEqual([]);
  });
});
