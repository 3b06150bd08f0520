import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

/** `start[].if`: a CEL condition over `inputs` (incremental mode's bug report route). */
describe('start[].if', () => {
  const withIf = (condition: string): string =>
    VALID_SOP.replace('start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]', `start: [{ type: UserRequirement, if: '${condition}', content: "{{ inputs.idea }}" }]`);

  test('a condition over inputs is valid and resolved with its position', async () => {
    const text = withIf('inputs.idea != ""');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(result.sop?.start[0]?.if?.source).toBe('inputs.idea != ""');
    expect(result.sop?.start[0]?.if?.origin).toMatchObject({ pointer: '/start/0/if', line: positionOf(text, 'inputs.idea !=').line });
  });

  test('only `inputs` exists there: another root is EXPRESSION_VARIABLE_UNKNOWN at the condition', async () => {
    const text = withIf('message.content == ""');
    const found = errors(await validateText(text));
    expect(found.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column])).toEqual([
      ['EXPRESSION_VARIABLE_UNKNOWN', '/start/0/if', ...Object.values(positionOf(text, 'message.content'))],
    ]);
    expect(found[0]?.expected).toContain('inputs');
  });

  test('a condition that cannot be a boolean is EXPRESSION_TYPE, one that does not parse EXPRESSION_SYNTAX', async () => {
    expect(errors(await validateText(withIf('42'))).map((diagnostic) => diagnostic.code)).toEqual(['EXPRESSION_TYPE']);
    expect(errors(await validateText(withIf('inputs.idea ==')))).toMatchObject([{ code: 'EXPRESSION_SYNTAX', pointer: '/start/0/if' }]);
  });
});
