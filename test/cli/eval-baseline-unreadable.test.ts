import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop eval --baseline FILE` read FILE whole with readFileSync: `--baseline /dev/zero` grew to 16 GB
 * and was killed (std::bad_alloc), a named pipe blocked it for good (Ctrl-C and `timeout` could not
 * stop it), and text that is not JSON was JSON.parse's words without a place ("Bad control
 * character in string literal in JSON at position 9"). Each is refused (exit 2) before any run.
 */
const HINT = '  hint: pass the results file of an earlier eval: --out results.json, or .sop/evals/<id>/results.json\n';
let cwd: string;

beforeAll(async () => {
  cwd = tempDir('sop-eval-baseline-unreadable-');
  expect((await sop(['init', '.'], { cwd })).code).toBe(0);
  writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name":"tides","inputs":{"idea":"tidal power"}}\n');
});

async function baseline(file: string): Promise<{ code: number | null; stderr: string }> {
  const result = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl', '--baseline', file], { cwd });
  expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain('\n[1/1]');
  return result;
}

describe('sop eval --baseline FILE that is no results file', () => {
  it('/dev/zero: refused at the cap, quickly, without taking the machine\'s memory', async () => {
    const started = Date.now();
    const result = await baseline('/dev/zero');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error USAGE: cannot read baseline /dev/zero: it is endless or more than 64 MB, more than an eval's results file holds\n${HINT}`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a named pipe no program writes to: given up on after 5 s, not waited on for ever', async () => {
    execFileSync('mkfifo', [path.join(cwd, 'pipe.json')]);
    const result = await baseline('pipe.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error USAGE: cannot read baseline pipe.json: it is a named pipe no program wrote to within 5 s; expected a regular file\n${HINT}`);
  }, 20_000);

  it('text that is not JSON, bytes that are not UTF-8, binary data: located, in words', async () => {
    writeFileSync(path.join(cwd, 'broken.json'), '{"schemaVersion": 1,\n  "runs": [1,]\n}\n');
    expect((await baseline('broken.json')).stderr).toBe(`error USAGE: cannot read baseline broken.json:2:14: it is not JSON (expected a value)\n${HINT}`);
    expect((await baseline('sop.yaml')).stderr).toBe(`error USAGE: cannot read baseline sop.yaml:1:1: it is not JSON (unexpected \`#\`)\n${HINT}`);
    writeFileSync(path.join(cwd, 'latin.json'), Buffer.from([0x7b, 0x0a, 0x22, 0xe9, 0x22]));
    expect((await baseline('latin.json')).stderr).toBe(`error USAGE: cannot read baseline latin.json:2:2: it is not valid UTF-8 (byte 0xE9; Latin-1 or Windows-1252?)\n${HINT}`);
    writeFileSync(path.join(cwd, 'data.bin'), Buffer.from([0x7b, 0x00, 0x7d]));
    const binary = await baseline('data.bin');
    expect(binary.code).toBe(2);
    expect(binary.stderr).toBe(`error USAGE: cannot read baseline data.bin:1:2: it holds binary data (a NUL byte), not text\n${HINT}`);
  });
});
