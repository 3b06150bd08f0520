import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, type CliResult } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/** A SOP with tool and gate mistakes (see the file's comment). */
const FIXTURE = 'test/fixtures/validate/bad-tools.yaml';

let text: CliResult;
let json: CliResult;
beforeAll(async () => {
  [text, json] = await Promise.all([sop(['validate', FIXTURE]), sop(['validate', '--json', FIXTURE])]);
});

describe('sop validate on an SOP with tool mistakes', () => {
  it('exits 3 (invalid SOP) without a stack', () => {
    expect(text.code).toBe(3);
    expect(json.code).toBe(3);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(STACK_LINE);
  });

  it('prints each mistake as file:line:col with what was expected and a hint', () => {
    expect(text.stdout).toContain(
      [
        `${FIXTURE}:25:17: error TOOL_UNKNOWN: no tool \`fs.wirte\``,
        '  expected: a tool: fs.list, fs.read, fs.search, fs.write, http.get, shell, word_count',
        '  hint: did you mean `fs.write`?',
      ].join('\n'),
    );
    expect(text.stdout).toMatch(/^ {2}> 25 \| {9}tools: \[fs\.wirte, shell, http\.get, word_count\]\n {7}\| {17}\^$/m);
    expect(text.stdout).toContain(`${FIXTURE}:25:27: error TOOL_INVALID: \`shell\` is offered but no program is allowed`);
    expect(text.stdout).toContain(`${FIXTURE}:12:38: error TEMPLATE_VARIABLE_UNKNOWN: tool \`word_count\` has no parameter \`pth\`\n  expected: parameters of word_count: path\n  hint: did you mean \`path\`?`);
    expect(text.stdout).toMatch(new RegExp(`^${FIXTURE.replace(/[./]/g, '\\$&')}:27:24: error SCHEMA_PATTERN: \`matches\` is not a valid regular expression`, 'm'));
  });

  it('--json lists the same diagnostics with code, line and column', () => {
    const report = resultOf(json) as { files: Array<{ valid: boolean; diagnostics: Array<{ code: string; line: number; column: number }> }> };
    expect(report.files[0]?.valid).toBe(false);
    expect(report.files[0]?.diagnostics.map(({ code, line, column }) => [code, line, column])).toEqual([
      ['TEMPLATE_VARIABLE_UNKNOWN', 12, 38],
      ['TOOL_UNKNOWN', 25, 17],
      ['TOOL_INVALID', 25, 27],
      ['SCHEMA_PATTERN', 27, 24],
    ]);
  });
});
