import { afterAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/errors/index.js';
import { cleanTempDirs, errors, positionOf, validateText } from './helpers.js';

/** Validation of the `sop/v1` additions: artifact `if`/`mode`, bounds and files from inputs, input aliases, required reads, preconditions. */
afterAll(cleanTempDirs);

/** An SOP with `inputs` (YAML after `inputs:`), `settings`, and one action whose extra fields are `action` (indented 8). */
const sopWith = ({ inputs = '{ idea: {} }', settings = '{}', action = '' }: { inputs?: string; settings?: string; action?: string }): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: additions, version: 1.0.0 }
inputs: ${inputs}
settings: ${settings}
messages:
  Idea: {}
  Notes: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write notes"
        output: { type: Notes }
${action}stop_when: { type: Notes }
`;

/** [code, pointer, line, column] of each diagnostic. */
const located = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column]);
/** [code, pointer, line, column] expected at the `occurrence`-th `needle` of `text`. */
const at = (code: string, pointer: string, text: string, needle: string, occurrence = 1) => {
  const { line, column } = positionOf(text, needle, occurrence);
  return [code, pointer, line, column];
};

describe('artifact if and mode', () => {
  test('valid: `if` over the output, `mode: append`', async () => {
    const text = sopWith({ action: `        artifacts:
          - { path: notes.md, if: "size(output) > 0 && inputs.idea != ''" }
          - { path: log.md, mode: append, content: "{{ role.id }}: {{ output }}\\n" }
` });
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('an `if` that is not a condition, reads an unknown variable, or a mode that does not exist: located errors', async () => {
    const text = sopWith({ action: `        artifacts:
          - { path: a.md, if: "size(output)" }
          - { path: b.md, if: "feedback == ''" }
          - { path: c.md, mode: prepend }
` });
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('EXPRESSION_SYNTAX', '/roles/writer/actions/0/artifacts/0/if', text, 'size(output)"'),
      at('EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/artifacts/1/if', text, "feedback == ''"),
      at('SCHEMA_ENUM', '/roles/writer/actions/0/artifacts/2/mode', text, 'prepend'),
    ]);
    expect(errors(result)[0]?.message).toBe("an artifact's `if` must give true or false; `size(output)` gives a value of type int");
  });
});
