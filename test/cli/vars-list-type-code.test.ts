import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A command looked up in `vars` (`vars.runner[message.content]`) that finds a text where an argv
 * goes: the expression parses, the value it gives is of the wrong kind. It was EXPRESSION_SYNTAX,
 * the code of CEL that does not parse; it is EXPRESSION_TYPE (exit 3), located at the `vars` entry.
 */
const sopWith = (command: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: checks, version: 0.1.0, requires: ">=0.2" }
vars:
  runner:
    js: [node, --test]
    py: python -m pytest
messages:
  Q: {}
  A: {}
start: [{ type: Q, content: "{{ inputs.idea }}" }]
roles:
  a:
    profile: A
    watch: [Q]
    actions:
      - id: check
        run: { command: "${command}" }
        output: { type: A }
stop_when: { type: A }
`;

async function validate(command: string): Promise<{ code: number | null; line: string; diagnostic: Record<string, unknown> }> {
  const cwd = tempDir('sop-vars-list-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(command));
  const text = await sop(['validate', 'sop.yaml'], { cwd });
  expect(text.stdout + text.stderr).not.toMatch(STACK_LINE);
  const json = await sop(['validate', 'sop.yaml', '--json'], { cwd });
  const envelope = JSON.parse(json.stdout) as { result: { files: Array<{ diagnostics: Array<Record<string, unknown>> }> } };
  return { code: text.code, line: text.stdout.split('\n')[0] as string, diagnostic: envelope.result.files[0]?.diagnostics[0] as Record<string, unknown> };
}

describe('sop validate: a command looked up in vars that finds no argv', () => {
  it('is EXPRESSION_TYPE at the vars entry, exit 3, naming the command that picks it', async () => {
    const { code, line, diagnostic } = await validate('vars.runner[message.content]');
    expect(code).toBe(3);
    expect(line).toMatch(/^sop\.yaml:7:9: error EXPRESSION_TYPE: `vars\.runner\.py` is "python -m pytest", not an argv \(a list of strings, the program first\) \(.*`vars\.runner\[message\.content\]` at sop\.yaml:18\)$/);
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_TYPE', severity: 'error', line: 7, column: 9, pointer: '/vars/runner/py', hint: 'write `vars.runner.py` as a YAML list: [program, arg, ...]' });
  });

  it('a command that does not parse stays EXPRESSION_SYNTAX', async () => {
    const { code, diagnostic } = await validate('vars.runner[');
    expect(code).toBe(3);
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_SYNTAX' });
  });
});
