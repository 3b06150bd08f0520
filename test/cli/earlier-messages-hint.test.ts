import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A newcomer wrote `{{ messages.Notes.last.content }}` to give the editor the researcher's notes.
 * `sop validate` answered "did you mean `message`?", which reads the trigger, not earlier messages;
 * `{{ memory.Notes... }}` passed validation and failed the run. Both now name `memory` and the loop
 * that reads one type from it, and following that hint gives a valid SOP whose prompt holds the notes.
 */
afterAll(removeTempDirs);

const sopWith = (editor: string, templates = ''): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0, requires: ">=0.2 <1" }
${templates}messages:
  Idea: { description: the idea }
  Notes: { description: research notes }
  Draft: { description: a draft }
  Edited: { description: the edited draft }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  researcher:
    profile: Researcher
    watch: [Idea]
    actions:
      - id: research
        prompt: "Notes on {{ message.content }}"
        output: { type: Notes }
  writer:
    profile: Writer
    watch: [Notes]
    actions:
      - id: write
        prompt: "Write from {{ message.content }}"
        output: { type: Draft }
  editor:
    profile: Editor
${editor}
        output: { type: Edited }
stop_when: { type: Edited }
`;

const editorReading = (notes: string): string => `    watch: [Draft]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }} with notes: ${notes}"`;

const LIQUID_LOOP = '{% for m in memory %}{% if m.type == "Notes" %}{{ m.content }}{% endif %}{% endfor %}';

async function run(args: string[], text: string): Promise<{ code: number | null; output: string }> {
  const dir = tempDir('sop-earlier-');
  writeFileSync(path.join(dir, 'sop.yaml'), text);
  const result = await sop(args, { cwd: dir });
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(STACK_LINE);
  return { code: result.code, output };
}

describe('sop validate: a prompt reaching for earlier messages is pointed at `memory`', () => {
  it('`messages.Notes` names `memory`, watching Notes and the loop reading it (was "did you mean `message`?")', async () => {
    const result = await run(['validate', 'sop.yaml'], sopWith(editorReading('{{ messages.Notes.last.content }}')));
    expect(result.code).toBe(3);
    expect(result.output).toContain('error TEMPLATE_VARIABLE_UNKNOWN: unknown variable `messages` in a prompt');
    expect(result.output).not.toContain('did you mean `message`');
    expect(result.output).toContain('hint: earlier messages are in `memory` (`messages` is there only in a batch action, `when: { batch: true }`: the messages of one round)');
    expect(result.output).toContain('the role watches `Notes` too (`watch: [..., Notes]`, with `when: { type: ... }` on this action if Notes alone should not run it)');
    expect(result.output).toContain(`the prompt reads it with \`${LIQUID_LOOP}\``);
  });

  it('`history` gets the same pointer, without the batch note', async () => {
    const result = await run(['validate', 'sop.yaml'], sopWith(editorReading('{{ history }}')));
    expect(result.code).toBe(3);
    expect(result.output).toContain('hint: earlier messages are in `memory`: it holds the last messages the role received or sent');
    expect(result.output).toContain('{% if m.type == "TYPE" %}');
  });

  it('`memory.Notes` is refused by validate (it failed the run with TEMPLATE_RENDER), with the same loop', async () => {
    const result = await run(['validate', 'sop.yaml'], sopWith(editorReading('{{ memory.Notes.last.content }}')));
    expect(result.code).toBe(3);
    expect(result.output).toContain('error TEMPLATE_VARIABLE_UNKNOWN: `memory` is a list of messages: it has no `Notes`');
    expect(result.output).toContain(`hint: \`memory\` is not keyed by type: it holds the last messages the role received or sent`);
  });

  it('in a Handlebars SOP the example loop is Handlebars', async () => {
    const editor = editorReading('{{ messages.Notes.last.content }}');
    const result = await run(['validate', 'sop.yaml'], sopWith(editor, 'settings: { templates: handlebars }\n'));
    expect(result.code).toBe(3);
    expect(result.output).toContain('`{{#each memory}}{{#if (eq type "Notes")}}{{content}}{{/if}}{{/each}}`');
  });

  it('following the hint gives a valid SOP whose editor prompt holds the notes', async () => {
    const fixed = sopWith(`    watch: [Draft, Notes]
    actions:
      - id: edit
        when: { type: Draft }
        prompt: |
          Edit {{ message.content }}
          Notes: ${LIQUID_LOOP}`);
    expect((await run(['validate', 'sop.yaml'], fixed)).code).toBe(0);
    const preview = await run(['prompts', 'sop.yaml', 'tidal power', '--role', 'editor'], fixed);
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/Notes: .*Notes on tidal power/);
  });

  it('`memory.last.content`, `memory.size` and `memory[0]` stay valid', async () => {
    const result = await run(['validate', 'sop.yaml'], sopWith(editorReading('{{ memory.last.content }} {{ memory.size }} {{ memory[0].content }}')));
    expect(result.output).toContain('sop.yaml: valid');
  });
});
