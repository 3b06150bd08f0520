import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

function withPrompt(prompt: string, engine: 'liquid' | 'handlebars'): string {
  return VALID_SOP.replace('stop_when:', `settings: { templates: ${engine} }\nstop_when:`).replace('"Summarize {{ message.content }}"', `'${prompt}'`);
}

describe('templates may not read constructor, __proto__ or prototype', () => {
  test.each([
    ['liquid', 'a field of a message', '{{ message.payload.constructor.name }}', 'message.payload.constructor'],
    ['liquid', 'a loop variable', '{% for m in memory %}{{ m.__proto__ }}{% endfor %}', 'm.__proto__'],
    ['liquid', 'a literal key', '{{ message["prototype"] }}', 'message.prototype'],
    ['handlebars', 'a field of a message', '{{message.constructor}}', 'message.constructor'],
    ['handlebars', 'inside each', '{{#each memory}}{{this.__proto__}}{{/each}}', '__proto__'],
    ['handlebars', 'lookup with a literal key', '{{lookup message "constructor"}}', 'message.constructor'],
  ])('%s: %s is refused where it is written', async (engine, _name, prompt, path) => {
    const text = withPrompt(prompt, engine as 'liquid' | 'handlebars');
    const result = await validateText(text);
    const found = errors(result);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      code: 'TEMPLATE_FIELD_FORBIDDEN',
      message: expect.stringContaining(`\`${path}\`: templates read data only`),
      pointer: '/roles/writer/actions/0/prompt',
      line: positionOf(text, prompt).line,
    });
    expect(found[0]?.hint).toContain('json');
  });

  test('the column points at the path that reads it', async () => {
    const prompt = 'Summarize {{ message.content }} {{ message.constructor }}';
    const text = withPrompt(prompt, 'liquid');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_FIELD_FORBIDDEN', ...positionOf(text, 'message.constructor') }]);
  });

  test('words in the text and ordinary fields are fine', async () => {
    const result = await validateText(withPrompt('Explain the constructor of {{ message.content }} ({{ message.type }})', 'liquid'));
    expect(result.diagnostics).toEqual([]);
  });
});
