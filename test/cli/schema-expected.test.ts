import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** `sop init`'s project with `edit` applied to one of its files. */
async function scaffold(edits: Record<string, (text: string) => string>): Promise<string> {
  const dir = tempDir();
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const project = path.join(dir, 'p');
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(project, file);
    const edited = edit(readFileSync(full, 'utf8'));
    expect(edited).not.toBe(readFileSync(full, 'utf8'));
    writeFileSync(full, edited);
  }
  return project;
}

/** The `expected:` line printed under the first diagnostic that says `message`. */
function expectedUnder(output: string, message: string): string | undefined {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => line.includes(message));
  return at < 0 ? undefined : lines.slice(at + 1).find((line) => line.startsWith('  expected: '));
}

describe('a value outside a schema limit: `expected:` says what is allowed, not what the field is for', () => {
  it('sop validate: `on_fail: { revise: -1 }` expects a whole number ≥ 1; a payload schema\'s `minLength: -1` a whole number ≥ 0', async () => {
    const project = await scaffold({
      'sop.yaml': (text) => text.replace('          - path: review.json\n', '          - path: review.json\n        gates:\n          - { name: t, assert: "payload.approved", on_fail: { revise: -1 } }\n'),
      'schemas/review.json': (text) => text.replace('"type": "string",\n      "description": "The verdict', '"type": "string",\n      "minLength": -1,\n      "description": "The verdict'),
    });
    const result = await sop(['validate', 'sop.yaml'], { cwd: project });
    expect(result.code).toBe(3);
    expect(result.stdout).not.toMatch(STACK_LINE);
    expect(result.stdout).toMatch(/^sop\.yaml:\d+:\d+: error SCHEMA_VIOLATION: must be at least 1$/m);
    expect(expectedUnder(result.stdout, 'error SCHEMA_VIOLATION: must be at least 1')).toBe('  expected: a whole number ≥ 1');
    expect(result.stdout).not.toContain('Re-run the action with its previous output');
    expect(expectedUnder(result.stdout, 'error PAYLOAD_SCHEMA_INVALID')).toBe('  expected: a whole number ≥ 0');
  });

  it('sop test: a test file\'s `usage: { max_cost_usd: -1 }` expects a number ≥ 0', async () => {
    const project = await scaffold({
      'sop.test.yaml': (text) => text.replace('    expect:\n      status: completed\n      path:', '    expect:\n      status: completed\n      usage: { max_cost_usd: -1 }\n      path:'),
    });
    const result = await sop(['test', 'sop.yaml'], { cwd: project });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    expect(output).toMatch(/^sop\.test\.yaml:19:\d+: error SCHEMA_VIOLATION: must be at least 0$/m);
    expect(expectedUnder(output, 'error SCHEMA_VIOLATION: must be at least 0')).toBe('  expected: a number ≥ 0');
    expect(output).not.toContain("Most USD the run's model calls cost.");
  });
});
