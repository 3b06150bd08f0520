import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

/** VALID_SOP with an input `name`, the given prompt and, for Handlebars, `settings.templates`. */
const withPrompt = (prompt: string, engine: 'liquid' | 'handlebars' = 'liquid') =>
  VALID_SOP.replace('        prompt: "Summarize {{ message.content }}"\n', `        prompt: ${prompt}\n`)
    .replace('content: "{{ inputs.idea }}"', 'content: "{{ inputs.name }}"')
    .replace('messages:\n', `${engine === 'handlebars' ? 'settings: { templates: handlebars }\n' : ''}inputs:\n  name: { description: who }\nmessages:\n`);

/**
 * Variables read inside partials were not checked (Liquid's analysis ran with `partials: false`;
 * the Handlebars collector did not follow `{{> name}}`): a typo in a partial passed `sop validate`
 * and failed the run at that action, after the models before it were paid for.
 */
describe('variables read inside partials', () => {
  test('Liquid: a misspelled input in an included partial is located in the partial\'s file, with did-you-mean', async () => {
    const partial = 'Hello,\n  {{ inputs.nme }}\n';
    const text = withPrompt('"Summarize {{ message.content }} {% include \'greet\' %}"');
    const result = await validateText(text, { 'greet.liquid': partial });
    expect(errors(result)).toMatchObject([{
      code: 'INPUT_UNDECLARED', file: path.join(result.dir, 'greet.liquid'), ...positionOf(partial, 'inputs.nme'),
      pointer: '/roles/writer/actions/0/prompt', hint: 'did you mean `name`?',
    }]);
    expect(errors(result)[0]?.message).toBe(`in partial \`greet\` (included by ${result.path}:${positionOf(text, 'prompt:').line}): input \`nme\` is not declared`);
  });

  test('Liquid: a variable that does not exist in the action\'s context, in a partial of a partial', async () => {
    const inner = 'Done: {{ output }}';
    const result = await validateText(withPrompt('"{% include \'outer\' %}"'), { 'outer.liquid': "Outer {% include 'parts/inner' %}", 'parts/inner.liquid': inner });
    expect(errors(result)).toMatchObject([{
      code: 'TEMPLATE_VARIABLE_UNKNOWN', file: path.join(result.dir, 'parts/inner.liquid'), ...positionOf(inner, 'output'),
      message: expect.stringContaining('in partial `parts/inner`'),
    }]);
    expect(errors(result)[0]?.message).toContain('unknown variable `output` in a prompt');
  });

  test('Liquid: what the including template binds (for, assign) and what a render passes are known in the partial', async () => {
    const result = await validateText(withPrompt('"{% assign who = inputs.name %}{% for file in message.payload.files %}{% include \'item\' %}{% endfor %}{% render \'card\', title: message.content %}"'), {
      'item.liquid': '{{ file.path }} for {{ who }} {{ inputs.name }}',
      'card.liquid': '# {{ title }}',
    });
    expect(errors(result)).toEqual([]);
  });

  test('Liquid: a `{% render %}` partial reading what the render does not pass is told so', async () => {
    const partial = '# {{ title }} by {{ inputs.name }}';
    const result = await validateText(withPrompt('"{% render \'card\', title: message.content %}"'), { 'card.liquid': partial });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(partial, 'inputs.name') }]);
    expect(errors(result)[0]?.message).toContain('`inputs` is not passed to the partial');
    expect(errors(result)[0]?.hint).toContain("{% render 'card', inputs: inputs %}");
  });

  test('Liquid: a partial that includes itself is walked a bounded number of times, and its problem reported once', async () => {
    // liquidjs' own analysis recursed here until the stack overflowed (an internal error of `sop validate`).
    const partial = "{% assign depth = depth | plus: 1 %}{% if depth < 3 %}{{ message.contnet }}{% include 'self' %}{% endif %}";
    const result = await validateText(withPrompt('"{% include \'self\' %}"'), { 'self.liquid': partial });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(partial, 'message.contnet'), hint: 'did you mean `content`?' }]);
    const fixed = await validateText(withPrompt('"{% include \'self\' %}"'), { 'self.liquid': partial.replace('contnet', 'content') });
    expect(errors(fixed)).toEqual([]);
  });

  test('Liquid: an include inside a `{% liquid %}` tag, which the scan for names does not read, ends the walk too', async () => {
    const partial = '{% liquid\n  if depth < 2\n    assign depth = depth | plus: 1\n    echo message.contnet\n    include "self"\n  endif\n%}';
    const result = await validateText(withPrompt('"{% include \'self\' %}"'), { 'self.liquid': partial });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(partial, 'message.contnet') }]);
  });

  test('Liquid: partials that include each other through a condition end the walk too', async () => {
    const result = await validateText(withPrompt('"{% render \'a\' %}"'), { 'a.liquid': "A {% render 'b' %}", 'b.liquid': "B {{ vars.nope }} {% if 1 > 2 %}{% render 'a' %}{% endif %}" });
    expect(errors(result).map((diagnostic) => diagnostic.message)).toEqual([expect.stringContaining('`vars` is not passed to the partial')]);
  });

  test('a partial included by many templates is reported once', async () => {
    const text = withPrompt('"{% include \'greet\' %}"').replace('output: { type: Summary }\n', 'output: { type: Summary }\n      - id: again\n        prompt: "{% include \'greet\' %}"\n        output: { type: Summary }\n');
    const result = await validateText(text, { 'greet.liquid': '{{ inputs.nme }}' });
    expect(errors(result)).toHaveLength(1);
  });

  test('Handlebars: a misspelled input in a partial, in a partial of a partial, and in a partial given a context', async () => {
    const result = await validateText(withPrompt('"{{> greet}} {{> card message}} {{> tag who=inputs.name}}"', 'handlebars'), {
      'greet.hbs': 'Hi {{> partials/inner}}',
      'partials/inner.hbs': '\n{{ inputs.nme }}',
      'card.hbs': '{{ content }} {{ contnt }}',
      'tag.hbs': '{{ who }}',
    });
    expect(errors(result)).toMatchObject([
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', file: path.join(result.dir, 'card.hbs'), line: 1, column: 18, hint: 'did you mean `content`?' },
      { code: 'INPUT_UNDECLARED', file: path.join(result.dir, 'partials/inner.hbs'), line: 2, column: 4, hint: 'did you mean `name`?' },
    ]);
  });

  test('Handlebars: a partial inside {{#each}} reads the item, and one that includes itself ends the walk', async () => {
    const result = await validateText(withPrompt('"{{#each message.payload.items}}{{> item}}{{/each}}{{> self}}"', 'handlebars'), {
      'item.hbs': '{{ name }}',
      'self.hbs': '{{#if message.content}}{{ message.contnet }}{{> self}}{{/if}}',
    });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', file: path.join(result.dir, 'self.hbs'), line: 1, column: 27 }]);
  });
});

/** A missing Handlebars partial was located at the prompt's start; Liquid's at the include. */
describe('a missing Handlebars partial', () => {
  test('is located at its `{{> name` in the prompt', async () => {
    const text = withPrompt('"Summarize {{ message.content }} {{> nothere }}"', 'handlebars');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', message: 'partial `nothere` not found', ...positionOf(text, '{{> nothere') }]);
  });

  test('a partial\'s own missing partial is located at the include that leads to it, naming that partial', async () => {
    const text = withPrompt('|\n          Summarize.\n          {{> greet}}\n', 'handlebars');
    const result = await validateText(text, { 'greet.hbs': 'Hi {{> nothere}}' });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', message: 'partial `nothere` not found (included by partial `greet`)', ...positionOf(text, '{{> greet') }]);
  });
});

/**
 * A partial that does not parse: Liquid's analysis threw liquidjs' own error (an internal error of
 * `sop validate` and of the run, exit 1); Handlebars located it at the prompt with the partial's line.
 */
describe('a partial with a syntax error', () => {
  test('Liquid: located in the partial\'s file, naming the partial and the template that includes it', async () => {
    const partial = 'Earlier: {{ inputs.name }}\n{% if message.content %}unclosed';
    const text = withPrompt('"Summarize {{ message.content }} {% include \'greet\' %}"');
    const result = await validateText(text, { 'greet.liquid': partial });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', file: path.join(result.dir, 'greet.liquid'), ...positionOf(partial, '{% if') }]);
    expect(errors(result)[0]?.message).toBe(`in partial \`greet\` (included by ${result.path}:${positionOf(text, 'prompt:').line}): template syntax error: \`{% if message.content %}\` is never closed: add \`{% endif %}\` where its block ends`);
  });

  test('Handlebars: located in the partial\'s file, naming the partial and the template that includes it', async () => {
    const text = withPrompt('"Summarize {{ message.content }} {{> greet }}"', 'handlebars');
    const result = await validateText(text, { 'greet.hbs': 'Hi\n{{#if message.content}}unclosed' });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', file: path.join(result.dir, 'greet.hbs') }]);
    expect(errors(result)[0]?.message).toMatch(new RegExp(`^in partial \`greet\` \\(included by ${result.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${positionOf(text, 'prompt:').line}\\): template syntax error: `));
  });
});
