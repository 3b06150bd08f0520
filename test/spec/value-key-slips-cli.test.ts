import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/** `on_fail: revise` / `on_fail: { warn: true }` in an SOP, `human: { approve: true }` in a test file. */
const SOP_FIXTURE = 'test/fixtures/validate/value-key-slips.yaml';
const TEST_FIXTURE = 'test/fixtures/testing/value-key-slips/sop.yaml';

describe('a word written as a field, or a field written as a word', () => {
  it('sop validate shows the form the author meant for each', async () => {
    const result = await sop(['validate', SOP_FIXTURE]);
    expect(result.code).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [`${SOP_FIXTURE}:18:57: error SCHEMA_ENUM: \`revise\` is not allowed here`, '  expected: one of: stop, warn or { revise, route, then }', '  hint: `revise` is a field of the mapping form here: write `on_fail: { revise: ... }` (see `sop schema`)'].join('\n'),
    );
    expect(result.stdout).toContain(`${SOP_FIXTURE}:19:60: error SCHEMA_TYPE: expected one of stop, warn or { revise, route, then }, got a mapping\n`);
    expect(result.stdout).toContain('  hint: `warn` is a value here, not a field: write `on_fail: warn`');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 2 errors');
  });

  it('sop test reports `human: { approve: true }` once, as `human: approve`', async () => {
    const result = await sop(['test', TEST_FIXTURE]);
    expect(result.code).toBe(2);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toMatch(STACK_LINE);
    expect(output).toContain('test/fixtures/testing/value-key-slips/sop.test.yaml:7:62: error SCHEMA_TYPE: expected `approve` or { reject } or { edit }, got a mapping');
    expect(output).toContain('  hint: `approve` is a value here, not a field: write `human: approve`');
    expect(output).not.toContain('missing required field');
    expect(output).not.toContain('unknown field `approve`');
  });
});
