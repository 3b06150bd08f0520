import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

const withPrompt = (prompt: string, extra = '') =>
  VALID_SOP.replace('        prompt: "Summarize {{ message.content }}"\n', `        prompt: ${prompt}\n${extra}`);

describe('TEMPLATE_SYNTAX', () => {
  test('inside a block scalar, the error is at its line in the SOP', async () => {
    const text = withPrompt('|\n          Summarize this:\n          {{ message.content }}\n          {% if message.content %}unclosed\n');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', pointer: '/roles/writer/actions/0/prompt', ...positionOf(text, '{% if') }]);
  });

  test('in a template file, the error names that file and its line', async () => {
    const text = withPrompt('{ file: prompts/summarize.liquid }');
    const result = await validateText(text, { 'prompts/summarize.liquid': 'Summarize:\n{{ message.content }\n' });
    const [error] = errors(result);
    expect(error).toMatchObject({ code: 'TEMPLATE_SYNTAX', file: path.join(result.dir, 'prompts/summarize.liquid'), line: 2 });
  });

  test('every template place is compiled: start, reads, command, env, artifacts, gate commands', async () => {
    const text = VALID_SOP.replace('content: "{{ inputs.idea }}" }', 'content: "{{ inputs.idea }}", payload: { list: ["{% if %}"] } }').replace(
      '        output: { type: Summary }\n',
      `        reads: ["{{ role.id"]
        output: { type: Summary }
        artifacts: [{ path: "{{ output", content: "{% endif %}" }]
        gates: [{ command: { command: ["{{"], env: { A: "{% for %}" } } }]
      - id: check
        run: { command: ["{% unknown_tag %}"], env: { B: "{{ run.id" } }
        output: { type: Summary }
`,
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['TEMPLATE_SYNTAX', '/start/0/payload/list/0'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/0/reads/0'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/0/artifacts/0/path'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/0/artifacts/0/content'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/0/gates/0/command/command/0'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/0/gates/0/command/env/A'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/1/run/command/0'],
      ['TEMPLATE_SYNTAX', '/roles/writer/actions/1/run/env/B'],
    ]);
  });

  test('handlebars SOPs are compiled with handlebars', async () => {
    const text = withPrompt('"{{#if message.content}}yes"').replace('metadata: { name: demo, version: 1.0.0 }', 'metadata: { name: demo, version: 1.0.0 }\nsettings: { templates: handlebars }');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_SYNTAX', line: positionOf(text, '{{#if').line }]);
    const fine = await validateText(text.replace('yes"', 'yes{{/if}}"'));
    expect(errors(fine)).toEqual([]);
  });
});

describe('TEMPLATE_VARIABLE_UNKNOWN and INPUT_UNDECLARED', () => {
  test('a misspelled message field is located at the variable', async () => {
    const text = withPrompt('"Summarize {{ message.contnet }}"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{
      code: 'TEMPLATE_VARIABLE_UNKNOWN', message: '`message` has no field `contnet`', hint: 'did you mean `content`?',
      ...positionOf(text, 'message.contnet'),
    }]);
  });

  test('a root that does not exist in the place lists what is available there', async () => {
    const text = withPrompt('"{{ output }} {{ item }}"');
    const result = await validateText(text);
    const found = errors(result);
    expect(found.map((diagnostic) => diagnostic.message)).toEqual(['unknown variable `output` in a prompt', 'unknown variable `item` in a prompt']);
    expect(found[0]?.expected).toContain('feedback');
    expect(found[0]?.expected).toContain('previous_output');
    expect(found[0]).toMatchObject(positionOf(text, 'output }}'));
  });

  test('item and index exist with foreach; messages with batch; output in artifacts', async () => {
    const text = withPrompt(
      '"{{ item }} {{ index }} {{ messages.size }} {{ feedback }} {{ previous_output }} {{ files }} {{ role.goal }} {{ run.workspace }} {{ memory }}"',
      '        foreach: "message.payload.items"\n        when: { batch: true }\n        artifacts: [{ path: "{{ item }}.md", content: "{{ output }} {{ payload }}" }]\n',
    );
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('without an inputs block only `idea` exists', async () => {
    const text = withPrompt('"{{ inputs.topic }}"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'INPUT_UNDECLARED', expected: 'declared inputs: idea', ...positionOf(text, 'inputs.topic') }]);
  });

  test('with an inputs block only the declared inputs exist', async () => {
    const text = VALID_SOP.replace('messages:', 'inputs:\n  topic: { type: string }\nmessages:');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'INPUT_UNDECLARED', pointer: '/start/0/content', message: 'input `idea` is not declared' }]);
    // `idea` is the positional argument: the hint offers the alias that lets a declared input take it.
    expect(errors(result)[0]?.hint).toBe('declare it under `inputs:`, or let an input take the positional argument with `aliases: [idea]` (e.g. `topic: { aliases: [idea] }`)');
  });

  test('start messages see only inputs and run', async () => {
    const text = VALID_SOP.replace('content: "{{ inputs.idea }}"', 'content: "{{ inputs.idea }} {{ run.id }} {{ message.content }}"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', message: 'unknown variable `message` in a start message' }]);
  });

  test('variables bound inside the template are not context variables', async () => {
    const text = withPrompt('"{% for m in memory %}{{ m.content }}{{ forloop.index }}{% endfor %}{% assign x = 1 %}{{ x }}"');
    expect(errors(await validateText(text))).toEqual([]);
  });
});

describe('CEL expressions', () => {
  const withWhen = (when: string, extra = '') =>
    VALID_SOP.replace('        output: { type: Summary }\n', `        when: { if: ${when} }\n        output: { type: Summary }\n${extra}`);

  test('a syntax error is EXPRESSION_SYNTAX at the expression', async () => {
    const text = withWhen('"payload.ok &&"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'EXPRESSION_SYNTAX', pointer: '/roles/writer/actions/0/when/if', line: positionOf(text, 'payload.ok').line }]);
  });

  test('conditions see the message fields at the top level, message and inputs', async () => {
    const text = withWhen('"payload.ok == true && content != \'\' && message.round > 0 && inputs.idea != \'\' && from == \'user\'"');
    expect(errors(await validateText(text))).toEqual([]);
  });

  test('an unknown variable is EXPRESSION_VARIABLE_UNKNOWN at the variable', async () => {
    const text = withWhen('"paylod.ok"');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'EXPRESSION_VARIABLE_UNKNOWN', hint: 'did you mean `payload`?', ...positionOf(text, 'paylod') }]);
  });

  test('every expression place is checked with its own roots', async () => {
    const text = VALID_SOP.replace('        output: { type: Summary }\n', `        foreach: "output.items"
        output: { type: Summary }
        artifacts: [{ path: "a/{{ item }}", foreach: "feedback" }]
        gates:
          - assert: "memory.size() > 0"
          - human: { enabled: "payload.ok" }
`).replace('stop_when: { type: Summary }', 'stop_when: [{ type: Summary, if: "item.x" }]');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.message.split(' (')[0]])).toEqual([
      ['EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/foreach', 'unknown variable `output` in `foreach`'],
      ['EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/artifacts/0/foreach', 'unknown variable `feedback` in an artifact\'s `foreach`'],
      ['EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/gates/0/assert', 'unknown variable `memory` in a gate\'s `assert`'],
      ['EXPRESSION_VARIABLE_UNKNOWN', '/roles/writer/actions/0/gates/1/human/enabled', 'unknown variable `payload` in `human.enabled`'],
      ['EXPRESSION_VARIABLE_UNKNOWN', '/stop_when/0/if', 'unknown variable `item` in `stop_when.if`'],
    ]);
  });

  test('an undeclared input in an expression is INPUT_UNDECLARED', async () => {
    const text = withWhen('"inputs.review"');
    expect(errors(await validateText(text))).toMatchObject([{ code: 'INPUT_UNDECLARED', ...positionOf(text, 'inputs.review') }]);
  });
});
