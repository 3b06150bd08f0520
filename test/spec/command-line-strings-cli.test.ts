import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/** `command: "wc -w draft.md"` and `run: { command: "pytest" }`: strings, so CEL giving the argv. */
const FIXTURE = 'test/fixtures/validate/command-line-strings.yaml';

describe('sop validate on a `command` written as one string', () => {
  it('says a string is CEL and shows the same command as an argv list, once per command', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toMatch(new RegExp(`^${FIXTURE.replace(/[./]/g, '\\$&')}:20:55: error EXPRESSION_SYNTAX: \`command\` is one string, so it is read as a CEL expression giving the argv, and \`wc -w draft.md\` is not CEL`, 'm'));
    expect(result.stdout).toContain('  expected: the program and its arguments as a list\n  hint: a string `command` is a CEL expression giving the argv (e.g. `vars.test_command[payload.language]`); to run a program, write its argv as a list: `command: [wc, -w, draft.md]`');
    expect(result.stdout).toContain(`${FIXTURE}:26:26: error EXPRESSION_VARIABLE_UNKNOWN: \`command\` is one string, so it is read as a CEL expression giving the argv, and \`pytest\` reads \`pytest\`, no variable there`);
    expect(result.stdout).toContain('write its argv as a list: `command: [pytest]`');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 2 errors');
  });
});

describe('sop validate on a `command` string written as a shell line', () => {
  it('shows it as sh -c runs it (no shell runs a command), a template as an argument of its own', async () => {
    const dir = tempDir('sop-command-shell-');
    const text = readFileSync(FIXTURE, 'utf8').replace('command: { command: "wc -w draft.md" }', 'command: { command: "test -s draft.md && grep -qi {{ inputs.idea }} draft.md" }');
    writeFileSync(path.join(dir, 'sop.yaml'), text);
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('write its argv as a list: `command: [sh, -c, "test -s draft.md && grep -qi \\"${1}\\" draft.md", sh, "{{ inputs.idea }}"]`');
  });
});
