import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A newcomer's incident post-mortem SOP (a triager, a writer with an artifact and a command gate, a
 * reviewer), broken the ways a newcomer breaks it: each hint, followed, gives a valid SOP.
 */
afterAll(removeTempDirs);

const POSTMORTEM = `apiVersion: sop/v1
kind: SOP
metadata: { name: postmortem, version: 1.0.0 }
inputs:
  incident: { description: what happened }
messages:
  IncidentReport: { description: the incident }
  Triage: { description: triage notes }
  PostMortem: { description: the post-mortem }
  Review: { description: the review }
start: [{ type: IncidentReport, content: "{{ inputs.incident }}" }]
roles:
  triager:
    profile: Incident triager
    watch: [IncidentReport]
    actions:
      - id: triage
        prompt: "Triage: {{ message.content }}"
        output: { type: Triage, format: markdown }
  writer:
    profile: Post-mortem writer
    watch: [Triage]
    actions:
      - id: write_postmortem
        prompt: "Write a post-mortem from: {{ message.content }}"
        output: { type: PostMortem, format: markdown }
        artifacts: [{ path: postmortem.md }]
        gates:
          - { name: lint, command: { command: [test, -s, postmortem.md] } }
  reviewer:
    profile: Reviewer
    watch: [PostMortem]
    actions:
      - id: review
        prompt: "Review: {{ message.content }}"
        output: { type: Review, format: markdown }
stop_when: { type: Review }
`;

async function validate(text: string): Promise<CliResult> {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'postmortem.yaml'), text);
  const result = await sop(['validate', 'postmortem.yaml'], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

/** The text of the line `hint: ...` of the output. */
function hintOf(result: CliResult): string {
  return /^ {2}hint: (.*)$/m.exec(result.stdout)?.[1] ?? '';
}

describe('a newcomer\'s post-mortem SOP', () => {
  it('is valid as written', async () => {
    const result = await validate(POSTMORTEM);
    expect(result.code, result.stdout).toBe(0);
  });

  it('`artifacts: postmortem.md`: the hint writes the list of mappings it takes, and following it gives a valid SOP', async () => {
    const bare = await validate(POSTMORTEM.replace('artifacts: [{ path: postmortem.md }]', 'artifacts: postmortem.md'));
    expect(bare.code, bare.stdout).toBe(3);
    expect(bare.stdout).toContain('postmortem.yaml:27:20: error SCHEMA_TYPE: expected a list, got a string (`postmortem.md`)');
    expect(hintOf(bare)).toBe('write a list: [{ path: postmortem.md }]');
    const followed = await validate(POSTMORTEM.replace('artifacts: [{ path: postmortem.md }]', `artifacts: ${hintOf(bare).replace('write a list: ', '')}`));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`artifacts: [postmortem.md]` (the list, items bare): the hint names the mapping an item is', async () => {
    const result = await validate(POSTMORTEM.replace('artifacts: [{ path: postmortem.md }]', 'artifacts: [postmortem.md]'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('postmortem.yaml:27:21: error SCHEMA_TYPE: expected a mapping, got a string (`postmortem.md`)');
    expect(hintOf(result)).toBe('write a mapping: { path: postmortem.md }');
    const followed = await validate(POSTMORTEM.replace('artifacts: [{ path: postmortem.md }]', `artifacts: [${hintOf(result).replace('write a mapping: ', '')}]`));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('a gate\'s `command: test -s postmortem.md`: the hint puts the argv inside the command spec, as a list', async () => {
    const result = await validate(POSTMORTEM.replace('command: { command: [test, -s, postmortem.md] }', 'command: test -s postmortem.md'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error SCHEMA_TYPE: expected a mapping, got a string (`test -s postmortem.md`)');
    expect(hintOf(result)).toBe('write a mapping: { command: [test, -s, postmortem.md] }');
    const followed = await validate(POSTMORTEM.replace('command: { command: [test, -s, postmortem.md] }', `command: ${hintOf(result).replace('write a mapping: ', '')}`));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`start: IncidentReport`: the hint writes the start message as a list of one mapping', async () => {
    const result = await validate(POSTMORTEM.replace('start: [{ type: IncidentReport, content: "{{ inputs.incident }}" }]', 'start: IncidentReport'));
    expect(result.code, result.stdout).toBe(3);
    expect(hintOf(result)).toBe('write a list: [{ type: IncidentReport }]');
    const followed = await validate(POSTMORTEM.replace('start: [{ type: IncidentReport, content: "{{ inputs.incident }}" }]', `start: ${hintOf(result).replace('write a list: ', '')}`));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`on_fail: retry` (a word no form takes): expected names the words and the mapping form beside them', async () => {
    const result = await validate(POSTMORTEM.replace('command: { command: [test, -s, postmortem.md] } }', 'command: { command: [test, -s, postmortem.md] }, on_fail: retry }'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error SCHEMA_ENUM: `retry` is not allowed here\n  expected: one of: stop, warn or { revise, route, then }\n');
  });

  it('sop test: an input misspelt in the test file\'s defaults is one error at the name, not also the required input missing in every case', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'postmortem.yaml'), POSTMORTEM);
    writeFileSync(path.join(cwd, 'postmortem.test.yaml'), [
      'apiVersion: sop-test/v1',
      'defaults:',
      '  inputs: { incidnet: "db failover took 40 minutes" }',
      'cases:',
      '  - name: the review is written',
      '    expect: { messages: [{ type: Review }] }',
      '  - name: the post-mortem is written',
      '    expect: { artifacts: [{ path: postmortem.md }] }',
      '',
    ].join('\n'));
    const result = await sop(['test', 'postmortem.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('postmortem.test.yaml:3:13: error INPUT_INVALID: the SOP has no input `incidnet`');
    expect(result.stderr).toContain('hint: did you mean `incident`?');
    expect(result.stderr).not.toContain('INPUT_MISSING');
    expect(result.stderr.match(/ error /g)).toHaveLength(1);
  });

  it('`{{ content }}` in a prompt (the trigger message\'s field read bare): the hint writes `message.content`', async () => {
    const result = await validate(POSTMORTEM.replace('prompt: "Triage: {{ message.content }}"', 'prompt: "Triage: {{ content }}"'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error TEMPLATE_VARIABLE_UNKNOWN: unknown variable `content` in a prompt');
    expect(hintOf(result)).toBe('`content` is a field of the message that triggered the action here: write `message.content`');
  });

  it('a Handlebars block (`{{#if}}`) in a Liquid prompt: the hint names the Liquid tag, or the setting for Handlebars', async () => {
    const result = await validate(POSTMORTEM.replace('prompt: "Triage: {{ message.content }}"', 'prompt: "Triage: {{#if message.content}}{{ message.content }}{{/if}}"'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error TEMPLATE_SYNTAX: template syntax error: invalid value expression: "#if message.content"');
    expect(hintOf(result)).toBe('`{{#if}}` is Handlebars; this SOP\'s templates are Liquid: write `{% if ... %}...{% endif %}`, or set `settings: { templates: handlebars }`');
    const followed = await validate(POSTMORTEM.replace('prompt: "Triage: {{ message.content }}"', 'prompt: "Triage: {{#if message.content}}{{ message.content }}{{/if}}"').replace('kind: SOP\n', 'kind: SOP\nsettings: { templates: handlebars }\n'));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('`watch: Triage`: a list of names stays a list of names', async () => {
    const result = await validate(POSTMORTEM.replace('watch: [Triage]', 'watch: Triage'));
    expect(result.code, result.stdout).toBe(3);
    expect(hintOf(result)).toBe('write a list: [Triage]');
  });
  // liquidjs' own words leaked: `tag {% if x %} not closed`, `output "{{ x \\n" not closed`, `illegal tag: {% for x %}`, `invalid value expression: ""`.
  it.each([
    ['{% if message.content %}{{ message.content }}', '`{% if message.content %}` is never closed: add `{% endif %}` where its block ends'],
    ['{{ message.content ', '`{{ message.content` is never closed: add `}}`'],
    ['{% for x %}{{ x }}{% endfor %}', '`{% for x %}` is not a valid `for` tag: a loop is `{% for item in list %}...{% endfor %}`'],
    ['{% if %}x{% endif %}', 'a tag without the expression it needs after its name (`{% if CONDITION %}`, `{% assign NAME = VALUE %}`)'],
    ['{{ message.content | shout }}', 'unknown filter `shout`'],
  ])('a Liquid mistake (%j) is said in words that name the fix', async (prompt, said) => {
    const result = await validate(POSTMORTEM.replace('prompt: "Triage: {{ message.content }}"', `prompt: ${JSON.stringify(`Triage: ${prompt}`)}`));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain(`error TEMPLATE_SYNTAX: template syntax error: ${said}\n`);
  });
  // The Handlebars parser's words leaked: "Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'".
  it.each([
    ['{{#if message.content}}{{ message.content }}', '`{{#if}}` is never closed: add `{{/if}}` where its block ends'],
    ['{{ message.content ', 'a `{{` is never closed: add `}}`'],
    ['{{ message.content }}{{/if}}', 'a `{{/...}}` closes no block: remove it, or open the block before it with `{{#...}}`'],
    ['{{#if message.content}}x{{/each}}', '`{{/each}}` closes `{{#if}}`: close `{{#if}}` with `{{/if}}` first'],
  ])('a Handlebars mistake (%j) is said in words, not in the parser\'s tokens', async (prompt, said) => {
    const handlebars = POSTMORTEM.replace('metadata: { name: postmortem, version: 1.0.0 }', 'metadata: { name: postmortem, version: 1.0.0 }\nsettings: { templates: handlebars }');
    const result = await validate(handlebars.replace('prompt: "Triage: {{ message.content }}"', `prompt: ${JSON.stringify(`Triage: ${prompt}`)}`));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain(`error TEMPLATE_SYNTAX: template syntax error: ${said}\n`);
    expect(result.stdout).not.toMatch(/Expecting '/);
  });
});
