import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, warnings } from './helpers.js';

afterAll(cleanTempDirs);

/** A triage SOP whose `Ticket` payload is closed; `{when}`, `{prompt}`, ... are filled per test. */
function sop(parts: { schema?: string; when?: string; prompt?: string; gates?: string; extra?: string } = {}): string {
  const schema = parts.schema ?? `
      type: object
      additionalProperties: false
      required: [category]
      properties:
        category: { type: string }
        customer:
          type: object
          additionalProperties: false
          properties: { name: { type: string }, email: { type: string } }`;
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: triage, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Ticket:
    description: a ticket
    schema:${schema}
  Reply: { description: the reply }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  triage:
    profile: Triage
    watch: [UserRequirement]
    actions:
      - id: classify
        prompt: "Classify {{ message.content }}"
        output: { type: Ticket, format: json }${parts.gates ?? ''}
${parts.extra ?? ''}  billing:
    profile: Billing
    watch: [Ticket]
    actions:
      - id: answer
        when: { if: "${parts.when ?? "payload.category == 'billing'"}" }
        prompt: "${parts.prompt ?? 'Answer {{ message.content }}'}"
        output: { type: Reply }
stop_when: { type: Reply }
`;
}

describe('fields read from a payload whose schema is closed', () => {
  test('a CEL typo (`payload.categry`) is refused at the expression, with did-you-mean', async () => {
    const text = sop({ when: "payload.categry == 'billing'" });
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([
      {
        code: 'EXPRESSION_VARIABLE_UNKNOWN',
        message: '`payload.categry`: the payload of `Ticket` has no field `categry` (its schema allows no other fields)',
        expected: 'fields declared there: category, customer',
        hint: 'did you mean `category`?',
        pointer: '/roles/billing/actions/0/when/if',
        ...positionOf(text, 'payload.categry'),
      },
    ]);
  });

  test('nested fields are checked too, and `message.payload` in templates', async () => {
    const text = sop({ when: 'has(payload.customer.emial)', prompt: 'Answer {{ message.payload.customer.nme }}' });
    const result = await validateText(text);
    expect(errors(result).map(({ code, message, hint, line, column }) => ({ code, message, hint, line, column }))).toEqual([
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', message: '`payload.customer.emial`: the payload of `Ticket` has no field `emial` (its schema allows no other fields)',
        hint: 'did you mean `email`?', ...positionOf(text, 'payload.customer.emial') },
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', message: '`message.payload.customer.nme`: the payload of `Ticket` has no field `nme` (its schema allows no other fields)',
        hint: 'did you mean `name`?', ...positionOf(text, 'message.payload.customer.nme') },
    ]);
  });

  test('the fields that exist pass, inside comprehensions too', async () => {
    const result = await validateText(sop({ when: "payload.category == 'billing' && has(payload.customer.email)", prompt: '{{ message.payload.customer.name }}' }));
    expect(result.diagnostics).toEqual([]);
  });

  test('an action\'s own output: `payload.x` in its gates', async () => {
    const text = sop({ gates: `\n        gates: [{ assert: "payload.categroy != ''" }]` });
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', hint: 'did you mean `category`?', pointer: '/roles/triage/actions/0/gates/0/assert', ...positionOf(text, 'payload.categroy') },
    ]);
  });

  test('$defs references, allOf and anyOf are followed', async () => {
    const schema = `
      $defs:
        Person: { type: object, additionalProperties: false, properties: { name: { type: string } } }
      anyOf:
        - { type: object, additionalProperties: false, properties: { category: { type: string }, person: { $ref: "#/$defs/Person" } } }
        - { type: object, additionalProperties: false, properties: { category: { type: string }, team: { type: string } } }`;
    const good = await validateText(sop({ schema, when: "payload.team == 'x' || payload.person.name == 'y'" }));
    expect(good.diagnostics).toEqual([]);
    const text = sop({ schema, when: "payload.person.nam == 'y'" });
    const bad = await validateText(text);
    expect(errors(bad)).toMatchObject([{ code: 'EXPRESSION_VARIABLE_UNKNOWN', hint: 'did you mean `name`?', ...positionOf(text, 'payload.person.nam') }]);
  });

  test('a self-referencing schema does not overflow the check', async () => {
    const schema = `
      $defs:
        Node: { type: object, additionalProperties: false, properties: { child: { $ref: "#/$defs/Node" }, label: { type: string } } }
      $ref: "#/$defs/Node"`;
    const text = sop({ schema, when: "payload.child.child.child.lable == 'x'" });
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'EXPRESSION_VARIABLE_UNKNOWN', hint: 'did you mean `label`?' }]);
  });
});

describe('no error where the payload may hold other fields', () => {
  test('an open schema (no `additionalProperties: false`)', async () => {
    const schema = `
      type: object
      properties: { category: { type: string } }`;
    const result = await validateText(sop({ schema, when: "payload.categry == 'billing'" }));
    expect(errors(result)).toEqual([]);
    // The read is left alone; the schema itself is warned about, since the model's `categry` would pass it too.
    expect(warnings(result).map((warning) => warning.code)).toEqual(['PAYLOAD_SCHEMA_OPEN']);
  });

  test('a type also produced by a command (its payload is the command\'s result)', async () => {
    const extra = `  checker:
    profile: Checker
    watch: [UserRequirement]
    actions:
      - id: check
        run: { command: [echo, hi] }
        output: { type: Ticket }
`;
    const result = await validateText(sop({ extra, when: 'payload.exit_code == 0' }));
    expect(errors(result)).toEqual([]);
  });
});

/** A text, markdown or code output is not parsed: in its artifacts `payload` is null, and `{{ payload.title }}` wrote an empty file. */
describe('payload read in an artifact of an output that is not JSON', () => {
  const writer = (artifact: string, output = '{ type: Reply, format: markdown }', body = 'prompt: "Answer {{ message.content }}"') => `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Reply: { description: the reply }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: answer
        ${body}
        output: ${output}
        artifacts:
          - ${artifact}
stop_when: { type: Reply }
`;

  test('an artifact `if` reading the payload is refused at the expression', async () => {
    const text = writer('{ path: reply.md, if: "payload.ok" }', '{ type: Reply, format: code }');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'EXPRESSION_VARIABLE_UNKNOWN', message: expect.stringContaining('`payload.ok`: the output of action `answer` is `format: code`, not JSON'), ...positionOf(text, 'payload.ok') }]);
  });

  test('a JSON output, or a command whose payload is its result, may be read', async () => {
    expect(errors(await validateText(writer('{ path: reply.md, content: "{{ payload.title }}" }', '{ type: Reply, format: json }')))).toEqual([]);
    expect(errors(await validateText(writer('{ path: reply.md, content: "{{ payload.stdout }}" }', '{ type: Reply }', 'run: { command: [echo, hi] }')))).toEqual([]);
  });
});
