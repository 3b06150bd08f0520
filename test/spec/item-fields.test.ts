import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText } from './helpers.js';

afterAll(cleanTempDirs);

/**
 * An architect whose JSON `Design` lists `modules` (closed items unless `items` says otherwise) and an
 * engineer that fans out over them. `item.fle` passed `sop validate` and failed the run at the first
 * item (`TEMPLATE_RENDER: undefined variable: item.fle`, exit 9), after the architect was paid.
 */
function sop(parts: { items?: string; foreach?: string; prompt?: string; extra?: string } = {}): string {
  const items = parts.items ?? `
              type: object
              additionalProperties: false
              required: [file, purpose]
              properties:
                file: { type: string }
                purpose: { type: string }
                owner:
                  type: object
                  additionalProperties: false
                  properties: { name: { type: string } }`;
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: modules, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Design:
    schema:
      type: object
      additionalProperties: false
      properties:
        modules:
          type: array
          items:${items}
  Code: { description: the code }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  architect:
    profile: Architect
    watch: [UserRequirement]
    actions:
      - id: design
        prompt: "Design {{ message.content }}"
        output: { type: Design, format: json }
  engineer:
    profile: Engineer
    watch: [Design]
    actions:
      - id: write
        foreach: ${parts.foreach ?? 'message.payload.modules'}
        prompt: "${parts.prompt ?? 'Write {{ item.file }}: {{ item.purpose }}'}"
        output: { type: Code }
${parts.extra ?? ''}stop_when: { type: Code }
`;
}

describe('fields read from a foreach item whose schema is closed', () => {
  test('a prompt reading `item.fle` is refused at the variable, with did-you-mean', async () => {
    const text = sop({ prompt: 'Write {{ item.fle }}' });
    expect(errors(await validateText(text))).toMatchObject([
      {
        code: 'TEMPLATE_VARIABLE_UNKNOWN',
        message: '`item.fle`: an item of `message.payload.modules` has no field `fle` (the schema of `Design` allows no other fields in its items)',
        expected: 'fields declared there: file, owner, purpose',
        hint: 'did you mean `file`?',
        pointer: '/roles/engineer/actions/0/prompt',
        ...positionOf(text, 'item.fle'),
      },
    ]);
  });

  test('nested fields, artifacts and gate expressions of the action are checked too', async () => {
    const text = sop({
      prompt: 'Write {{ item.owner.nme }}',
      extra: `        artifacts: [{ path: "src/{{ item.flie }}", content: "{{ output.content }}" }]
        gates: [{ assert: "size(item.purpse) > 0" }]
`,
    });
    const found = errors(await validateText(text)).map(({ code, hint, line, column }) => ({ code, hint, line, column }));
    expect(found).toEqual(expect.arrayContaining([
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', hint: 'did you mean `name`?', ...positionOf(text, 'item.owner.nme') },
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', hint: 'did you mean `file`?', ...positionOf(text, 'item.flie') },
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', hint: 'did you mean `purpose`?', ...positionOf(text, 'item.purpse') },
    ]));
    expect(found).toHaveLength(3);
  });

  test('an artifact\'s own `foreach` over the output\'s list: its templates\' `item` is that list\'s', async () => {
    const text = sop().replace('output: { type: Design, format: json }\n', `output: { type: Design, format: json }
        artifacts: [{ foreach: payload.modules, path: "docs/{{ item.fiel }}.md", content: "{{ item.purpose }}" }]
`);
    expect(errors(await validateText(text))).toMatchObject([
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', message: expect.stringContaining('an item of `payload.modules` has no field `fiel`'), hint: 'did you mean `file`?', ...positionOf(text, 'item.fiel') },
    ]);
  });

  test('the fields that exist pass, in the long form `{ items }` too', async () => {
    const result = await validateText(sop({ foreach: '{ items: message.payload.modules, concurrency: 2 }', prompt: '{{ item.file }} {{ item.owner.name }} {{ item }}' }));
    expect(result.diagnostics).toEqual([]);
  });

  test('items that are open, or not declared, may carry anything', async () => {
    const open = sop({ items: ' { type: object, properties: { file: { type: string } } }', prompt: '{{ item.fle }}' });
    expect(errors(await validateText(open))).toEqual([]);
    const undeclared = sop({ items: ' {}', prompt: '{{ item.fle }}' });
    expect(errors(await validateText(undeclared))).toEqual([]);
  });
});

describe('fields read through a template\'s own loop over a list whose items are closed', () => {
  const looping = (prompt: string, engine?: 'handlebars'): string => {
    const text = sop({ prompt }).replace(/ {8}foreach: .*\n/, '');
    return engine ? text.replace('metadata: { name: modules, version: 1.0.0 }\n', 'metadata: { name: modules, version: 1.0.0 }\nsettings: { templates: handlebars }\n') : text;
  };

  test('a Liquid `for` loop variable reading `m.fle` is refused at the field, with did-you-mean', async () => {
    const text = looping('{% for m in message.payload.modules %}{{ m.fle }}{% endfor %}');
    expect(errors(await validateText(text))).toMatchObject([
      {
        code: 'TEMPLATE_VARIABLE_UNKNOWN',
        message: '`fle`: an item of `message.payload.modules`, which this template loops over, has no field `fle` (the schema of `Design` allows no other fields in its items)',
        hint: 'did you mean `file`?',
        ...positionOf(text, 'fle }}'),
      },
    ]);
  });

  test('Handlebars `each`, with a block param or `this`, and a nested field', async () => {
    for (const prompt of ['{{#each message.payload.modules as |m|}}{{m.fle}}{{/each}}', '{{#each message.payload.modules}}{{fle}}{{/each}}']) {
      const text = looping(prompt, 'handlebars');
      expect(errors(await validateText(text))).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', hint: 'did you mean `file`?', ...positionOf(text, 'fle}}') }]);
    }
    const nested = looping('{% for m in message.payload.modules %}{{ m.owner.nme }}{% endfor %}');
    expect(errors(await validateText(nested))).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', hint: 'did you mean `name`?', ...positionOf(nested, 'nme }}') }]);
  });

  test('the fields that exist pass, and open items may carry anything', async () => {
    expect((await validateText(looping('{% for m in message.payload.modules %}{{ m.file }} {{ m.owner.name }}{% endfor %}'))).diagnostics).toEqual([]);
    expect((await validateText(looping('{{#each message.payload.modules}}{{file}} {{@index}}{{/each}}', 'handlebars'))).diagnostics).toEqual([]);
    const open = sop({ items: ' { type: object, properties: { file: { type: string } } }', prompt: '{% for m in message.payload.modules %}{{ m.fle }}{% endfor %}' }).replace(/ {8}foreach: .*\n/, '');
    expect(errors(await validateText(open))).toEqual([]);
  });
});
