import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/** `Draft` has a schema and only a markdown publisher; `Notes` has one and a JSON publisher. */
const FIXTURE = 'test/fixtures/validate/schema-unused.yaml';

describe('sop validate on a message schema no JSON output publishes', () => {
  it('warns at the schema that nothing is checked against it, and not about a used one', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [
        `${FIXTURE}:7:44: warning SCHEMA_UNUSED: the schema of \`Draft\` is never checked: every action publishing it writes \`format: markdown\` (action \`write\`), and only \`format: json\` outputs are validated`,
        '  expected: `output: { type: Draft, format: json }` in the actions publishing it',
        '  hint: make the output `format: json` to have its payload checked, or remove the `schema` of `Draft`',
      ].join('\n'),
    );
    expect(result.stdout.match(/SCHEMA_UNUSED/g)).toHaveLength(1);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 1 warning');
  });
});
