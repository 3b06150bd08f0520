import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A newcomer's customer-support triage SOP (an intake role splitting tickets into a JSON list, a
 * classifier run per ticket into an enum-typed classification with an artifact each, a router with
 * a human approval gate, a lead summing up), broken the ways a newcomer breaks it.
 */
afterAll(removeTempDirs);

const TRIAGE = `apiVersion: sop/v1
kind: SOP
metadata: { name: support-triage, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  idea: { type: string, description: "the tickets, one per line" }
  review: { type: boolean, default: true }
settings:
  n_round: 10
  investment: 0.5
messages:
  Tickets: { description: raw tickets }
  TicketList: { schema: { $ref: schemas/ticket-list.json } }
  Classification: { schema: { $ref: schemas/classification.json } }
  Escalation: { description: a ticket a human must see }
  Reply: { description: a reply to the customer }
  Summary: { description: what happened }
start: [{ type: Tickets, content: "{{ inputs.idea }}" }]
roles:
  intake:
    profile: Support intake
    watch: [Tickets]
    actions:
      - id: split
        prompt: "Split these tickets into a list: {{ message.content }}"
        output: { type: TicketList, format: json }
  classifier:
    profile: Triage agent
    watch: [TicketList]
    actions:
      - id: classify
        foreach: message.payload.tickets
        prompt: "Classify ticket {{ item.id }}: {{ item.text }}"
        output: { type: Classification, format: json }
        artifacts:
          - path: "tickets/{{ item.id }}.md"
            content: "# {{ item.id }}\\n\\ncategory: {{ payload.category }}\\npriority: {{ payload.priority }}\\n"
  router:
    profile: Support lead
    watch: [Classification]
    actions:
      - id: escalate
        when: { type: Classification, if: "payload.priority == 'urgent'" }
        prompt: "Write an escalation note for {{ message.payload.ticket_id }}"
        output: { type: Escalation, format: markdown }
      - id: reply
        when: { type: Classification, if: "payload.priority != 'urgent'" }
        prompt: "Write a reply for ticket {{ message.payload.ticket_id }} ({{ message.payload.category }})"
        output: { type: Reply, format: markdown }
        artifacts: [{ path: "replies/{{ message.payload.ticket_id }}.md" }]
        gates:
          - name: approve-reply
            human: { prompt: "Send the reply to {{ message.payload.ticket_id }}?", enabled: inputs.review }
            on_fail: { revise: 1 }
  lead:
    profile: Support lead
    watch: [Reply, Escalation]
    actions:
      - id: summarise
        when: { type: [Reply, Escalation], batch: true }
        prompt: "Summarise what the team did: {% for m in messages %}{{ m.type }}: {{ m.content }}\\n{% endfor %}"
        output: { type: Summary, format: markdown }
        artifacts: [{ path: summary.md }]
stop_when: { type: Summary }
`;

const TICKET_LIST = JSON.stringify({
  type: 'object', additionalProperties: false, required: ['tickets'],
  properties: { tickets: { type: 'array', minItems: 1, items: {
    type: 'object', additionalProperties: false, required: ['id', 'text'],
    properties: { id: { type: 'string', pattern: '^T[0-9]+$' }, text: { type: 'string' } } } } },
}, null, 2);

const CLASSIFICATION = `{ "type": "object", "additionalProperties": false, "required": ["ticket_id", "category", "priority"],
  "properties": { "ticket_id": { "type": "string" },
    "category": { "enum": ["billing", "bug", "account", "other"] },
    "priority": { "enum": ["low", "normal", "urgent"] } } }
`;

/** A project folder holding the SOP (`sop`) and its two schemas (`classification` replaces that one). */
function project(sopText: string, classification = CLASSIFICATION): string {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, 'schemas'));
  writeFileSync(path.join(cwd, 'triage.yaml'), sopText);
  writeFileSync(path.join(cwd, 'schemas', 'ticket-list.json'), TICKET_LIST);
  writeFileSync(path.join(cwd, 'schemas', 'classification.json'), classification);
  return cwd;
}

async function validate(sopText: string, classification?: string): Promise<CliResult> {
  const result = await sop(['validate', 'triage.yaml'], { cwd: project(sopText, classification) });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

/** The SOP with each `[from, to]` replaced once; a `from` it lacks fails the test, not the SOP. */
function edited(...replacements: Array<[string, string]>): string {
  return replacements.reduce((text, [from, to]) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  }, TRIAGE);
}

function hintOf(result: CliResult): string {
  return /^ {2}hint: (.*)$/m.exec(result.stdout)?.[1] ?? '';
}

describe('a newcomer\'s support-triage SOP', () => {
  it('is valid as written', async () => {
    const result = await validate(TRIAGE);
    expect(result.code, result.stdout).toBe(0);
  });

  it('`"enum": "urgent"` in a payload schema: expected says a list of values, the hint writes the list, and following it gives a valid SOP', async () => {
    const single = CLASSIFICATION.replace('"enum": ["low", "normal", "urgent"]', '"enum": "urgent"');
    const result = await validate(TRIAGE, single);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('schemas/classification.json:4:27: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for `Classification` at schemas/classification.json#/properties/priority/enum: expected a list, got a string (`urgent`)\n  expected: a list of values\n');
    expect(result.stdout).not.toContain('something else');
    expect(hintOf(result)).toBe('write a list: ["urgent"]');
    const followed = await validate(TRIAGE, single.replace('"enum": "urgent"', `"enum": ${hintOf(result).replace('write a list: ', '')}`));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('a budget written as a string (`investment: "$0.50"`): the hint gives the bare number, and following it gives a valid SOP', async () => {
    const result = await validate(edited(['investment: 0.5', 'investment: "$0.50"']));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:9:15: error SCHEMA_TYPE: expected a number, got a string (`$0.50`)');
    expect(hintOf(result)).toBe('write a bare number, no quotes or unit: 0.5');
    const followed = await validate(edited(['investment: 0.5', `investment: ${hintOf(result).replace(/^.*: /, '')}`]));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('a round limit written as a string (`n_round: "10"`, a whole number or `{ input: NAME }`): the hint gives the bare number, as for `investment`, and following it gives a valid SOP', async () => {
    const result = await validate(edited(['n_round: 10', 'n_round: "10"']));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:8:12: error SCHEMA_TYPE: expected a whole number or `{ input: NAME }` (taken from an input), got a string (`10`)');
    expect(hintOf(result)).toBe('write a bare number, no quotes or unit: 10');
    const followed = await validate(edited(['n_round: 10', `n_round: ${hintOf(result).replace(/^.*: /, '')}`]));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('conditions comparing a payload field with a text its schema\'s `enum` does not list (`==`, `!=` with the text first, `in`): a warning at each text, naming the field, the text and the values allowed, with did-you-mean; following it gives no warning', async () => {
    const mistyped = edited(
      ["if: \"payload.priority == 'urgent'\"", "if: \"payload.priority == 'critical'\""],
      ["if: \"payload.priority != 'urgent'\"", "if: \"'urgnt' != payload.priority && payload.category in ['billing', 'refund']\""],
    );
    const result = await validate(mistyped);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('triage.yaml:42:64: warning EXPRESSION_VALUE_NOT_IN_ENUM: `payload.priority` is never `\'critical\'`: the schema of `Classification` allows only low, normal, urgent (so `==` is never true)\n  expected: one of: low, normal, urgent\n  hint: compare with a value the schema allows, or add `critical` to the `enum` of `priority` in the schema of `Classification`\n');
    expect(result.stdout).toContain('triage.yaml:46:44: warning EXPRESSION_VALUE_NOT_IN_ENUM: `payload.priority` is never `\'urgnt\'`: the schema of `Classification` allows only low, normal, urgent (so `!=` is always true)\n  expected: one of: low, normal, urgent\n  hint: did you mean `\'urgent\'`?\n');
    expect(result.stdout).toContain('triage.yaml:46:107: warning EXPRESSION_VALUE_NOT_IN_ENUM: `payload.category` is never `\'refund\'`: the schema of `Classification` allows only account, billing, bug, other (so that entry of the `in` list never matches)');
    expect(result.stdout).toContain('3 warnings');
    const followed = await validate(mistyped.replace("'critical'", "'urgent'").replace("'urgnt'", /`(.*)`/.exec(hintOf({ ...result, stdout: result.stdout.slice(result.stdout.indexOf('triage.yaml:46:44')) }))?.[1] as string).replace(", 'refund'", ''));
    expect(followed.code, followed.stdout).toBe(0);
    expect(followed.stdout).toContain('0 warnings');
  });

  it('`foreach: message.payload` (the whole ticket list, an object): refused by validate, the hint names the list field, and following it gives a valid SOP', async () => {
    const result = await validate(edited(['foreach: message.payload.tickets', 'foreach: message.payload']));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:31:18: error EXPRESSION_TYPE: `foreach` must give a list; `message.payload` is the whole payload, declared `type: object` in the schema of `TicketList`');
    expect(hintOf(result)).toBe('iterate over a list field of the payload: `message.payload.tickets`');
    const followed = await validate(edited(['foreach: message.payload.tickets', `foreach: ${/`(.*)`/.exec(hintOf(result))?.[1]}`]));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`foreach: message.content` (the text, never a list): refused by validate instead of failing the run at round 2', async () => {
    const result = await validate(edited(['foreach: message.payload.tickets', 'foreach: message.content']));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:31:18: error EXPRESSION_TYPE: `foreach` must give a list; `message.content` is the message\'s text, a string');
    expect(hintOf(result)).toBe('iterate over a list field of the payload: `message.payload.tickets`');
  });

  it('a human gate `enabled: inputs.review` whose input declares no `type` (a string): refused before any call, and the hint\'s declaration gives a valid SOP', async () => {
    const untyped = edited(['review: { type: boolean, default: true }', 'review: { description: review each reply }']);
    const cwd = project(untyped);
    const run = await sop(['run', 'triage.yaml', 'T1: charged twice', '--ci'], { cwd });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).toContain('triage.yaml:52:93: error EXPRESSION_TYPE: `human.enabled` must give true or false; input `review` is of `type: string`');
    expect(run.stderr).toContain('hint: declare it `review: { type: boolean, default: false }` (`--input review=true` turns it on), or compare its value');
    expect(run.stderr).not.toContain('[round 1]');
    const declared = /declare it `(.*?)`/.exec(run.stderr)?.[1] as string;
    const followed = await validate(edited(['review: { type: boolean, default: true }', declared]));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('a ticket id holding `../` that the reply\'s artifact path is built from: the failure is located at the path template, with the schema fix, and nothing is written outside', async () => {
    const cwd = project(TRIAGE);
    writeFileSync(path.join(cwd, 'answers.yaml'), [
      'apiVersion: sop-script/v1',
      'answers:',
      '  - { role: intake, action: split, output: { tickets: [{ id: T1, text: charged twice }] } }',
      '  - { role: classifier, action: classify, item: 0, output: { ticket_id: "../../outside", category: billing, priority: low } }',
      '  - { role: router, action: reply, gate: approve-reply, human: approve }',
      '',
    ].join('\n'));
    const result = await sop(['run', 'triage.yaml', 'tickets', '--model', 'script:answers.yaml', '--workspace', 'ws/triage', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('triage.yaml:49:30: error WORKSPACE_ESCAPE: artifact path "replies/../../outside.md" leaves the workspace (rendered from `replies/{{ message.payload.ticket_id }}.md`)');
    expect(result.stderr).toContain('hint: the path is built from values at run time: give each field it reads a `pattern` in its message type\'s schema');
    expect(existsSync(path.join(cwd, 'ws', 'outside.md'))).toBe(false);
  });

  it('an artifact path built from an input holding `../`: the hint names the input\'s fix (an `enum`), not a schema `pattern` of an answer, and the run record stays', async () => {
    const cwd = tempDir('triage-input-path-');
    writeFileSync(path.join(cwd, 'notes.yaml'), [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: notes, version: 1.0.0 }',
      'inputs:',
      '  name: { default: notes }',
      'messages: { Idea: {}, Note: {} }',
      'start: [{ type: Idea, content: "{{ inputs.name }}" }]',
      'stop_when: { type: Note }',
      'roles:',
      '  writer:',
      '    profile: Writer',
      '    watch: [Idea]',
      '    actions:',
      '      - id: write',
      '        prompt: "Write {{ message.content }}"',
      '        output: { type: Note }',
      '        artifacts: [{ path: "notes/{{ inputs.name }}.md" }]',
      '',
    ].join('\n'));
    const result = await sop(['run', 'notes.yaml', '--input', 'name=../../outside', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('notes.yaml:17:30: error WORKSPACE_ESCAPE: artifact path "notes/../../outside.md" leaves the workspace (rendered from `notes/{{ inputs.name }}.md`)');
    expect(result.stderr).toContain('hint: the path is built from inputs: give each input it reads an `enum` of the names allowed, or run it with a value holding no `..` or `/`');
    expect(result.stderr).not.toContain('pattern');
    const record = /run record: (\S+)/.exec(result.stdout + result.stderr)?.[1] as string;
    expect(existsSync(path.join(cwd, record, 'journal.jsonl'))).toBe(true);
  });

  it('`{ description: the tickets, one per line }` (a comma in a flow mapping): the hint quotes the text instead of saying to remove `one per line`, and following it gives a valid SOP', async () => {
    const result = await validate(edited(['description: "the tickets, one per line"', 'description: the tickets, one per line']));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:5:51: error SCHEMA_UNKNOWN_FIELD: unknown field `one per line`');
    expect(hintOf(result)).toBe('a comma inside `{ ... }` ends the value before it: quote the whole text, `description: "the tickets, one per line"`');
    const followed = await validate(edited(['description: "the tickets, one per line"', /`(description: .*)`$/.exec(hintOf(result))?.[1] as string]));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('the handlebars variant keeping a Liquid loop: the unknown loop variable\'s hint names the engine and writes the `{{#each}}` loop, and following it gives a valid SOP', async () => {
    const handlebars = edited(['  investment: 0.5\n', '  investment: 0.5\n  templates: handlebars\n']);
    const result = await validate(handlebars);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('triage.yaml:61:54: error TEMPLATE_VARIABLE_UNKNOWN: unknown variable `m` in a prompt');
    expect(hintOf(result)).toBe('`{% for m in messages %}` is Liquid; this SOP\'s templates are Handlebars (`settings.templates: handlebars`): write `{{#each messages}}...{{/each}}` and read the item as `this` (`{{ this.type }}`), or remove `templates: handlebars`');
    const followed = await validate(handlebars.replace('{% for m in messages %}{{ m.type }}: {{ m.content }}\\n{% endfor %}', '{{#each messages}}{{ this.type }}: {{ this.content }}\\n{{/each}}'));
    expect(followed.code, followed.stdout).toBe(0);
    expect(followed.stdout).toContain('0 warnings');
  });

  it('the handlebars variant keeping a Liquid `{% if %}` (no unknown variable, so it passed and the model got the tag as text): warned at the tag', async () => {
    const handlebars = edited(
      ['  investment: 0.5\n', '  investment: 0.5\n  templates: handlebars\n'],
      ['{% for m in messages %}{{ m.type }}: {{ m.content }}\\n{% endfor %}', '{{#each messages}}{{ this.type }}\\n{{/each}}'],
      ['prompt: "Split these tickets into a list: {{ message.content }}"', 'prompt: "Split{% if inputs.review %} carefully{% endif %}: {{ message.content }}"'],
    );
    const result = await validate(handlebars);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('triage.yaml:25:23: warning TEMPLATE_LIQUID_IN_HANDLEBARS: `{% if inputs.review %}` is a Liquid tag; this SOP\'s templates are Handlebars (`settings.templates: handlebars`), which sends it to the model as text');
    expect(hintOf(result)).toBe('write it in Handlebars (`{{#if x}}...{{else}}...{{/if}}`), or remove `templates: handlebars` to use Liquid');
    const followed = await validate(handlebars.replace('{% if inputs.review %} carefully{% endif %}', '{{#if inputs.review}} carefully{{/if}}'));
    expect(followed.code, followed.stdout).toBe(0);
    expect(followed.stdout).toContain('0 warnings');
  });

  it('a test file with its answers under `script:` (which names a script file): the hint says to write them under `answers:`, and following it the cases pass', async () => {
    const cwd = project(TRIAGE);
    const testFile = (key: string): string => [
      'apiVersion: sop-test/v1',
      'cases:',
      '  - name: urgent ticket escalates',
      '    inputs: { idea: "T3: locked out", review: false }',
      `    ${key}:`,
      '      - { role: intake, action: split, output: { tickets: [{ id: T3, text: locked out }] } }',
      '      - { role: classifier, action: classify, item: 0, output: { ticket_id: T3, category: account, priority: urgent } }',
      '    expect:',
      '      messages: [{ type: Escalation, count: 1 }, { type: Reply, count: 0 }]',
      '      artifacts: [{ path: tickets/T3.md, contains: "priority: urgent" }]',
      '',
    ].join('\n');
    writeFileSync(path.join(cwd, 'triage.test.yaml'), testFile('script'));
    const wrong = await sop(['test', 'triage.yaml'], { cwd });
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(wrong.stderr).not.toMatch(STACK_LINE);
    expect(wrong.stderr).toContain('triage.test.yaml:6:7: error SCHEMA_TYPE: expected a string, got a list\n  expected: a sop-script/v1 file, relative to the test file (`script: scripts/reject.yaml`)\n  hint: answers written in the test file go under `answers:` (rename `script:` to `answers:`)');
    // `script: { answers: [...] }`, the script file's shape written in place of its name: the same fix.
    writeFileSync(path.join(cwd, 'triage.test.yaml'), testFile('script').replace('    script:\n      - ', '    script:\n      answers:\n      - '));
    const nested = await sop(['test', 'triage.yaml'], { cwd });
    expect(nested.code, nested.stderr).toBe(2);
    expect(nested.stderr).toContain('triage.test.yaml:6:7: error SCHEMA_TYPE: expected a string, got a mapping\n  expected: a sop-script/v1 file, relative to the test file (`script: scripts/reject.yaml`)\n  hint: answers written in the test file go under the case\'s own `answers:` (remove the `script:` line and move `answers:` and its list 2 spaces left)');
    writeFileSync(path.join(cwd, 'triage.test.yaml'), testFile('answers'));
    const followed = await sop(['test', 'triage.yaml'], { cwd });
    expect(followed.code, followed.stdout + followed.stderr).toBe(0);
    expect(followed.stdout).toContain('1 passed, 0 failed');
  });
});
