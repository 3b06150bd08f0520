import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, type CliResult } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/** A schema error beside mistakes a run would meet only after paid calls (see the file's comment). */
const FIXTURE = 'test/fixtures/validate/run-would-refuse.yaml';

let text: CliResult;
let json: CliResult;
beforeAll(async () => {
  [text, json] = await Promise.all([sop(['validate', FIXTURE]), sop(['validate', '--json', FIXTURE])]);
});

describe('sop validate finds what a run would refuse', () => {
  it('exits 3 (invalid SOP) without a stack or a stack overflow', () => {
    expect(text.code).toBe(3);
    expect(json.code).toBe(3);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(STACK_LINE);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/call stack/i);
  });

  it('reports the schema error and every semantic mistake together, each at file:line:col', () => {
    expect(text.stdout).toContain(`${FIXTURE}:5:22: error SCHEMA_TYPE: expected a whole number or \`{ input: NAME }\` (taken from an input), got a string (\`many\`)`);
    expect(text.stdout).toContain(`${FIXTURE}:18:21: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for \`Tree\` at /messages/Tree/schema/$ref: \`$ref\` leads back to itself (# → #)`);
    expect(text.stdout).toContain(
      [
        `${FIXTURE}:34:22: error EXPRESSION_VARIABLE_UNKNOWN: \`payload.categry\`: the payload of \`Ticket\` has no field \`categry\` (its schema allows no other fields)`,
        '  expected: fields declared there: category',
        '  hint: did you mean `category`?',
      ].join('\n'),
    );
    expect(text.stdout).toMatch(/^ {2}> 34 \| {9}when: \{ if: "payload\.categry == 'billing'" \}\n {7}\| {22}\^$/m);
    expect(text.stdout).toContain(`${FIXTURE}:35:71: error TEMPLATE_FIELD_FORBIDDEN: \`message.constructor\`: templates read data only`);
    // `Tree` is there for its schema only: nothing publishes or watches it, which is warned of besides.
    expect(text.stdout).toContain(`${FIXTURE}:16:3: warning MESSAGE_TYPE_UNUSED: message type \`Tree\` is declared but never used`);
    expect(text.stdout).toContain('1 file: 0 valid, 1 invalid, 4 errors, 1 warning');
  });

  it('--json lists the same diagnostics with code, line and column', () => {
    const report = resultOf(json) as { files: Array<{ valid: boolean; diagnostics: Array<{ code: string; line: number; column: number }> }> };
    expect(report.files[0]?.valid).toBe(false);
    expect(report.files[0]?.diagnostics.map(({ code, line, column }) => [code, line, column])).toEqual([
      ['SCHEMA_TYPE', 5, 22],
      ['MESSAGE_TYPE_UNUSED', 16, 3],
      ['PAYLOAD_SCHEMA_INVALID', 18, 21],
      ['EXPRESSION_VARIABLE_UNKNOWN', 34, 22],
      ['TEMPLATE_FIELD_FORBIDDEN', 35, 71],
    ]);
  });
});
