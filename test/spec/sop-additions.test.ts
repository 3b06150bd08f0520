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
      at('EXPRESSION_TYPE', '/roles/writer/actions/0/artifacts/0/if', text, 'size(output)"'),
      at('EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/artifacts/1/if', text, "feedback == ''"),
      at('SCHEMA_ENUM', '/roles/writer/actions/0/artifacts/2/mode', text, 'prepend'),
    ]);
    expect(errors(result)[0]?.message).toBe("an artifact's `if` must give true or false; `size(output)` gives a value of type int");
  });
});

describe('bounds from inputs', () => {
  test('valid: n_round and max_runs from integer inputs (an alias names its input too)', async () => {
    const text = sopWith({ inputs: '{ idea: {}, turns: { type: integer, default: 3, aliases: [exchanges] } }', settings: '{ n_round: { input: turns } }', action: '        max_runs: { input: exchanges }\n' });
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('an undeclared input, a string input, or a bound that is neither a number nor `{ input }`: located errors', async () => {
    const text = sopWith({ inputs: '{ idea: {} }', settings: '{ n_round: { input: rounds } }', action: '        max_runs: { input: idea }\n' });
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('INPUT_UNDECLARED', '/settings/n_round/input', text, 'rounds'),
      at('SCHEMA_TYPE', '/roles/writer/actions/0/max_runs/input', text, 'idea }\n'),
    ]);
    expect(errors(result)[0]?.hint).toBe('declare it under `inputs:` (e.g. `rounds: { type: integer, default: 6 }`)');
    expect(errors(result)[1]?.message).toBe('input `idea` is string; a bound needs a whole number');
    const zero = sopWith({ inputs: '{ idea: {}, turns: { type: integer, default: 0 } }', settings: '{ n_round: { input: turns } }' });
    expect(located(errors(await validateText(zero)))).toEqual([at('SCHEMA_VIOLATION', '/inputs/turns/default', zero, '0 } }')]);
    const words = sopWith({ settings: '{ n_round: "{{ inputs.turns }}" }' });
    const wordsErrors = errors(await validateText(words));
    expect(wordsErrors.map((error) => error.pointer)).toEqual(['/settings/n_round']);
    expect(wordsErrors[0]?.message).toBe('expected a whole number or `{ input: NAME }` (taken from an input), got a string (`{{ inputs.turns }}`)');
  });
});

describe('input aliases', () => {
  test('templates and expressions read an input under its alias', async () => {
    const text = sopWith({ inputs: '{ ticket: { aliases: [idea] } }', action: '        when: { if: "inputs.idea != \'\'" }\n' });
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('an alias that is another input\'s name or alias: DUPLICATE_ID at the alias', async () => {
    const text = sopWith({ inputs: '{ idea: {}, ticket: { aliases: [idea, case] }, issue: { aliases: [case] } }' });
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('DUPLICATE_ID', '/inputs/ticket/aliases/0', text, 'idea, case'),
      at('DUPLICATE_ID', '/inputs/issue/aliases/0', text, 'case] } }'),
    ]);
    expect(errors(result).map((error) => error.message)).toEqual(['alias `idea` of input `ticket` is already an input', 'alias `case` of input `issue` is already an alias of input `ticket`']);
  });
});

describe('file inputs, required reads, preconditions', () => {
  test('valid: a file input at a declared path, a required read of it, an assert and a command precondition', async () => {
    const text = sopWith({
      inputs: '{ idea: {}, data: { type: file, path: data/sales.csv } }',
      action: `        reads: [{ path: "{{ inputs.data }}", required: true }, notes.md]
        precondition: { assert: "files[inputs.data].startsWith('date,') && role.turn == 1" }
      - id: check
        precondition: { command: { command: [test, -s, "{{ inputs.data }}"] } }
        run: { command: [wc, -l, "{{ inputs.data }}"] }
        output: { type: Notes }
` });
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('`path` on a non-file input or leaving the workspace; a precondition with both kinds, or reading what it cannot see: located errors', async () => {
    const text = sopWith({
      inputs: '{ idea: { path: x.txt }, data: { type: file, path: ../outside.csv } }',
      action: `        precondition: { assert: "size(output) > 0" }
      - id: check
        precondition: { assert: "true", command: { command: [test] } }
        prompt: "Check"
        output: { type: Notes }
` });
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_VIOLATION', '/inputs/idea/path', text, 'path: x.txt'),
      at('ARTIFACT_PATH_ESCAPE', '/inputs/data/path', text, '../outside.csv'),
      at('EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/precondition/assert', text, 'output) > 0'),
      at('SCHEMA_VIOLATION', '/roles/writer/actions/1/precondition/command', text, 'command: { command: [test] }'),
    ]);
    expect(errors(result)[3]?.message).toBe('the precondition of action `check` has both `assert` and `command`');
    const empty = sopWith({ action: '        precondition: {}\n' });
    expect(located(errors(await validateText(empty)))).toEqual([at('SCHEMA_MISSING_FIELD', '/roles/writer/actions/0/precondition', empty, 'precondition')]);
  });
});

describe('message.thread: the exchanges since the start message', () => {
  test('valid in templates (`message.thread.turn`), in CEL (`message.thread.id`) and as `thread` in `when.if` and `stop_when.if`', async () => {
    const text = sopWith({ action: `        when: { type: Idea, if: "thread.turn < 4 && message.thread.id != ''" }
        artifacts:
          - { path: "notes-{{ message.thread.turn }}.md", if: "message.thread.turn >= 0" }
` }).replace('stop_when: { type: Notes }', 'stop_when: { type: Notes, if: "thread.turn >= 6" }');
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('a field a thread does not have: located, naming its fields and the nearest one', async () => {
    const text = sopWith({ action: `        when: { type: Idea, if: "thread.turns < 4" }
        artifacts:
          - { path: "notes-{{ message.thread.count }}.md" }
` });
    const result = errors(await validateText(text));
    expect(located(result)).toEqual([
      at('EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/when/if', text, 'thread.turns'),
      at('TEMPLATE_VARIABLE_UNKNOWN', '/roles/writer/actions/0/artifacts/0/path', text, 'message.thread.count'),
    ]);
    expect(result[0]?.message).toBe('`thread` has no field `turns` (`thread.turns < 4`)');
    expect(result[0]?.hint).toBe('did you mean `turn`?');
    expect(result[1]?.message).toMatch(/^`message.thread` has no field `count`/);
    expect(result[1]?.expected).toBe('fields of message.thread: id, turn');
  });
});
