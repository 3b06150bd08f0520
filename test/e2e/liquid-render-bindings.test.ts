import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * Liquid's `{% render 'x' with value %}` and `{% render 'x' for list as item %}` pass the partial a
 * value under a name of its own. `sop validate` refused both: liquidjs' analysis reads the bound name
 * as the value it was given, located in the partial, and that read was taken for one of the template's
 * variables the render does not pass. And `for` without `as` validated but failed the run: liquidjs
 * binds each item to no name, so the partial's read of it is an undefined variable.
 */
function project(prompt: string, partials: Record<string, string>): string {
  const cwd = tempDir('sop-liquid-render-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: render-bindings, version: 1.0.0, requires: ">=0.2 <1" }',
      'vars:',
      '  steps: [plan, write, check]',
      'messages:',
      '  Question: { description: q }',
      '  Answer: { description: a }',
      'start: [{ type: Question, content: "{{ inputs.idea }}" }]',
      'roles:',
      '  analyst:',
      '    profile: Analyst',
      '    watch: [Question]',
      '    actions:',
      '      - id: answer',
      '        reads: [notes.md]',
      '        prompt: |',
      ...prompt.split('\n').map((line) => `          ${line}`),
      '        output: { type: Answer }',
      'stop_when: { type: Answer }',
      '',
    ].join('\n'),
  );
  for (const [name, text] of Object.entries(partials)) writeFileSync(path.join(cwd, name), text);
  return cwd;
}

const PARTIALS = { 'notes.liquid': 'Notes: {{ notes["notes.md"] }}\n', 'step.liquid': '{{ forloop.index }}. {{ step }}\n' };

describe('Liquid render with / for, partials read from the SOP\'s folder', () => {
  it('`with files` and `for vars.steps as step` validate, and an offline run renders them with the workspace file and every item', async () => {
    const cwd = project("Question: {{ message.content }}\n{% render 'notes' with files %}\n{% render 'step' for vars.steps as step %}", PARTIALS);
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.stdout + validated.stderr).not.toMatch(STACK_LINE);
    expect(validated.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 0 warnings');
    expect(validated.code).toBe(0);

    const workspace = path.join(cwd, 'out');
    mkdirSync(workspace);
    writeFileSync(path.join(workspace, 'notes.md'), 'remember the milk');
    const result = await sop(['run', 'sop.yaml', 'hi', '--ci', '--workspace', 'out', '--event-prompts', '--events', 'events.jsonl'], { cwd, env: { HOME: cwd } });
    expect(result.code, result.stderr).toBe(0);
    const events = readFileSync(path.join(cwd, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; messages?: Array<{ role: string; content: string }> });
    const user = events.find((event) => event.type === 'llm-call-start')?.messages?.find((message) => message.role === 'user')?.content;
    expect(user).toBe('Question: hi\nNotes: remember the milk\n\n1. plan\n2. write\n3. check\n\n');
  });

  it('what a bound partial reads that the render does not pass is still an error, in the partial\'s file; a file read through `with files` is checked against `reads`', async () => {
    const cwd = project("{% render 'notes' with files %}", { 'notes.liquid': '{{ notes["other.md"] }} {{ message.content }}\n' });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('notes.liquid:1:4: error TEMPLATE_VARIABLE_UNKNOWN: in partial `notes` (included by sop.yaml:18): `notes["other.md"]`: action `answer` does not read `other.md`');
    expect(result.stdout).toContain('notes.liquid:1:28: error TEMPLATE_VARIABLE_UNKNOWN: in partial `notes` (included by sop.yaml:18): `message` is not passed to the partial');
  });

  it('`for` without `as`: TEMPLATE_SYNTAX at the `for`, with the name to add (the run would fail at the partial\'s first read)', async () => {
    const cwd = project("Steps:\n{% render 'step' for vars.steps %}", PARTIALS);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      "sop.yaml:19:28: error TEMPLATE_SYNTAX: {% render 'step' for ... %} needs `as NAME`: without it the partial gets no name for each item (sop's Liquid, liquidjs, binds none)\n" +
        "  hint: name the item: {% render 'step' for LIST as step %}, and read that name in the partial\n",
    );
  });

  it('`for` without `as` written in a partial (two includes down): TEMPLATE_SYNTAX in the partial\'s file, naming the template\'s include', async () => {
    const cwd = project("Steps:\n{% include 'outline' %}", { ...PARTIALS, 'outline.liquid': "Outline:\n{% include 'steps' %}\n", 'steps.liquid': "Plan:\n{% render 'step' for vars.steps %}\n" });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      "steps.liquid:2:18: error TEMPLATE_SYNTAX: in partial `steps` (included by sop.yaml:19): {% render 'step' for ... %} needs `as NAME`: without it the partial gets no name for each item (sop's Liquid, liquidjs, binds none)\n" +
        "  hint: name the item: {% render 'step' for LIST as step %}, and read that name in the partial\n",
    );
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });
});
