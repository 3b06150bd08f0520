import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A `foreach` whose value can only be something other than a list parses: the problem is the
 * value's type, which the run would meet, not the expression's syntax. It was reported as
 * EXPRESSION_SYNTAX, which sent a user looking for a typo; it is EXPRESSION_TYPE (exit 3).
 */
const sopWith = (foreach: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: fan, version: 0.1.0 }
messages:
  Q: {}
  A: {}
start: [{ type: Q, content: "{{ inputs.idea }}" }]
roles:
  a:
    profile: A
    watch: [Q]
    actions:
      - id: answer
        foreach: ${foreach}
        prompt: "x {{ item }}"
        output: { type: A, format: text }
stop_when: { type: A }
`;

async function firstError(foreach: string): Promise<{ code: number | null; line: string; diagnostic: Record<string, unknown> }> {
  const cwd = tempDir('sop-foreach-type-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(foreach));
  const text = await sop(['validate', 'sop.yaml'], { cwd });
  expect(text.stdout).not.toMatch(STACK_LINE);
  const json = await sop(['validate', 'sop.yaml', '--json'], { cwd });
  const envelope = JSON.parse(json.stdout) as { result: { files: Array<{ diagnostics: Array<Record<string, unknown>> }> } };
  const diagnostic = envelope.result.files[0]?.diagnostics[0] as Record<string, unknown>;
  return { code: text.code, line: text.stdout.split('\n')[0] as string, diagnostic };
}

describe('sop validate: a foreach given no list', () => {
  it('over the message text (a string) is EXPRESSION_TYPE at the foreach, exit 3', async () => {
    const { code, line, diagnostic } = await firstError('message.content');
    expect(code).toBe(3);
    expect(line).toBe("sop.yaml:14:18: error EXPRESSION_TYPE: `foreach` must give a list; `message.content` is the message's text, a string");
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_TYPE', severity: 'error', line: 14, column: 18, pointer: '/roles/a/actions/0/foreach' });
  });

  it('over a value of another type (a number) is EXPRESSION_TYPE too', async () => {
    const { code, line } = await firstError('"size(message.content)"');
    expect(code).toBe(3);
    expect(line).toBe('sop.yaml:14:19: error EXPRESSION_TYPE: `foreach` must give a list; `size(message.content)` gives a value of type int');
  });

  it('one that does not parse stays EXPRESSION_SYNTAX', async () => {
    const { code, diagnostic } = await firstError('"message.content +"');
    expect(code).toBe(3);
    expect(diagnostic).toMatchObject({ code: 'EXPRESSION_SYNTAX', line: 14 });
  });
});
