import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

/** [code, line, column] of every diagnostic, in order. */
function located(result: { diagnostics: Array<{ code: string; line?: number; column?: number }> }): Array<[string, number | undefined, number | undefined]> {
  return result.diagnostics.map(({ code, line, column }) => [code, line, column]);
}

function at(code: string, text: string, needle: string): [string, number, number] {
  const { line, column } = positionOf(text, needle);
  return [code, line, column];
}

describe('schema errors do not hide the other mistakes', () => {
  test('a schema error, a template typo and an undeclared type are reported together, each located', async () => {
    const text = VALID_SOP.replace('stop_when:', 'settings: { n_round: many }\nstop_when:')
      .replace('{{ message.content }}', '{{ message.contnet }}')
      .replace('output: { type: Summary }', 'output: { type: Sumary }');
    const result = await validateText(text);
    expect(located(result)).toEqual([
      at('TEMPLATE_VARIABLE_UNKNOWN', text, 'message.contnet'),
      at('MESSAGE_TYPE_UNDECLARED', text, 'Sumary'),
      at('SCHEMA_TYPE', text, 'many'),
    ]);
    expect(result.sop).toBeUndefined();
  });

  test('a broken message type is not also reported as undeclared where it is used', async () => {
    const text = VALID_SOP.replace('  Summary: { description: a summary }', '  Summary: 5').replace('{{ message.content }}', '{{ message.contnet }}');
    const result = await validateText(text);
    expect(located(result)).toEqual([at('SCHEMA_TYPE', text, '5'), at('TEMPLATE_VARIABLE_UNKNOWN', text, 'message.contnet')]);
  });

  test('an unknown template engine skips the template checks (they would read the templates with the wrong engine)', async () => {
    const text = VALID_SOP.replace('stop_when:', 'settings: { templates: jinja }\nstop_when:').replace('"Summarize {{ message.content }}"', '"{{#if message}}{{message.contnet}}{{/if}}"');
    const result = await validateText(text);
    expect(located(result)).toEqual([at('SCHEMA_ENUM', text, 'jinja')]);
  });

  test('a gate whose check has the wrong type is not also a gate without a check', async () => {
    const text = VALID_SOP.replace('output: { type: Summary }', 'output: { type: Summary }\n        gates: [{ assert: 42 }]');
    const result = await validateText(text);
    expect(located(result)).toEqual([at('SCHEMA_TYPE', text, '42')]);
  });

  test('an action missing a required field takes its role out; the other roles are still checked', async () => {
    const text = `${VALID_SOP.replace('stop_when: { type: Summary }\n', '')}  editor:
    profile: Editor
    watch: [UserRequirement]
    actions:
      - id: edit
        prompt: "Edit {{ message.contnet }}"
stop_when: { type: Summary }
`.replace('"Summarize {{ message.content }}"', '"Summarize {{ message.conten }}"');
    const result = await validateText(text);
    // The editor's action has no `output`; the writer's typo is still found. No "unreachable" noise.
    expect(located(result)).toEqual([at('TEMPLATE_VARIABLE_UNKNOWN', text, 'message.conten '), at('SCHEMA_MISSING_FIELD', text, 'id: edit')]);
  });

  test('a broken skeleton stops at the schema errors', async () => {
    const text = VALID_SOP.replace(/roles:[\s\S]*stop_when/, 'roles: 5\nstop_when');
    const result = await validateText(text);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SCHEMA_TYPE']);
  });
});
