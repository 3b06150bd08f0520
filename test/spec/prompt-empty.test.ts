import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, VALID_SOP, validateText, warnings } from './helpers.js';

afterAll(cleanTempDirs);

/** An empty prompt sends the model an empty user message, which some providers refuse. */
describe('PROMPT_EMPTY', () => {
  const withPrompt = (prompt: string): string => VALID_SOP.replace('prompt: "Summarize {{ message.content }}"', `prompt: ${prompt}`);

  test('a blank inline prompt is warned about at the prompt', async () => {
    const text = withPrompt('"  "');
    const result = await validateText(text);
    expect(warnings(result)).toMatchObject([{ code: 'PROMPT_EMPTY', message: 'action `summarize`: the prompt is empty', ...positionOf(text, '"  "') }]);
  });

  test('a prompt file that is missing has its error only: it is not also "empty"', async () => {
    const result = await validateText(withPrompt('{ file: prompts/nope.liquid }'));
    expect(errors(result).map((diagnostic) => diagnostic.code)).toEqual(['FILE_REF_NOT_FOUND']);
    expect(warnings(result)).toEqual([]);
  });
});
