import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A one-writer SOP whose prompt includes partials, as each template language's tests need it. */
function partialsSop(name: string, prompt: string, settings = ''): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: ${name}, version: 1.0.0 }
${settings}messages:
  Idea: { description: the idea }
  Brief: { description: the brief }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: ${prompt}
        output: { type: Brief }
stop_when: { type: Brief }
`;
}

/** A project folder with sop.yaml and the given files (paths relative to it). */
function writeProject(sop: string, files: Record<string, string>): string {
  const cwd = tempDir('sop-partial-cycle-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sop);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    writeFileSync(path.join(cwd, name), text);
  }
  return cwd;
}

/** Liquid: the prompt, in its own file, includes the partial `header`. */
const project = (partials: Record<string, string>): string =>
  writeProject(partialsSop('partials', '{ file: prompts/write.liquid }'), { 'prompts/write.liquid': "Write about {{ message.content }}.\n{% include 'header' %}\n", ...partials });

/** Handlebars: the prompt, inline, includes the partial `header`. */
const handlebarsProject = (partials: Record<string, string>): string =>
  writeProject(partialsSop('partials-hbs', '"Write about {{ message.content }}. {{> header}}"', 'settings: { templates: handlebars }\n'), partials);

/**
 * Partials that include each other with nothing to stop them made the render overflow the stack,
 * which was reported as data nested too deeply, with a hint to constrain the message type's
 * schema: nothing about the includes. The error now names the chain of partials.
 */
describe('sop run: partials that include each other', () => {
  it('fails the action with the chain of includes, located at the include in the prompt', async () => {
    // A condition that never stops them: only the render can tell (without one, validate refuses them).
    const cwd = project({ 'header.liquid': "Header {% if message.content %}{% include 'footer' %}{% endif %}", 'footer.liquid': "Footer {% include 'header' %}" });
    const result = await sop(['run', 'sop.yaml', 'a guide'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('prompts/write.liquid:2:13: error TEMPLATE_RENDER: partials include each other without end: header → footer → header');
    expect(result.stderr).toContain('must stop on a condition');
    expect(result.stderr).not.toContain('nests too deeply');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a partial that includes itself under a condition that ends it still renders', async () => {
    const cwd = project({ 'header.liquid': "{% assign depth = depth | plus: 1 %}[{{ depth }}]{% if depth < 3 %}{% include 'header' %}{% endif %}" });
    const result = await sop(['run', 'sop.yaml', 'a guide', '--dry-run'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[1][2][3]');
  });
});

/**
 * Handlebars registered only the partials a template names itself: a partial's own partial failed
 * the action with "undefined variable: The partial footer could not be found" (the file was there).
 */
describe('sop run: Handlebars partials of partials', () => {
  it('a partial that includes another renders both', async () => {
    const cwd = handlebarsProject({ 'header.hbs': 'Header {{> footer}}', 'footer.hbs': 'Footer.' });
    const result = await sop(['run', 'sop.yaml', 'a guide', '--dry-run'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Write about a guide. Header Footer.');
  });

  it('partials that include each other fail the action with the chain', async () => {
    const cwd = handlebarsProject({ 'header.hbs': 'Header {{#if message.content}}{{> footer}}{{/if}}', 'footer.hbs': 'Footer {{> header}}' });
    const result = await sop(['run', 'sop.yaml', 'a guide'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('error TEMPLATE_RENDER: partials include each other without end: header → footer → header');
    expect(result.stderr).not.toContain('nests too deeply');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

/**
 * `sop validate` did not look inside partials: a misspelled variable there passed, and the run
 * failed at that action. It is now reported in the partial's file, as a prompt's own would be.
 */
describe('sop validate: variables inside partials', () => {
  it('Liquid: a misspelled field in a partial fails validate, located in the partial with did-you-mean', async () => {
    const cwd = project({ 'header.liquid': 'Header\n{{ message.contnet }}\n' });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('header.liquid:2:4: error TEMPLATE_VARIABLE_UNKNOWN: in partial `header` (included by prompts/write.liquid:1): `message` has no field `contnet`');
    expect(result.stdout).toContain('did you mean `content`?');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('Handlebars: the same in a partial of a partial; a partial that includes itself ends the walk', async () => {
    const cwd = handlebarsProject({ 'header.hbs': '{{#if message.content}}{{> header}}{{/if}} {{> footer}}', 'footer.hbs': 'By {{ role.proflie }}' });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('footer.hbs:1:7: error TEMPLATE_VARIABLE_UNKNOWN: in partial `footer` (included by sop.yaml:15): `role` has no field `proflie`');
    expect(result.stdout).toContain('did you mean `profile`?');
  });
});

/**
 * Partials that include each other with no condition on the way nest without end on every render,
 * whatever the data: `sop validate` passed them and the run failed at that action. They are now an
 * error at the include; a chain with a condition on the way is left to the render to judge.
 */
describe('sop validate: partials that include each other', () => {
  it('Liquid: no condition on the way is an error at the include of the prompt', async () => {
    const cwd = project({ 'header.liquid': "Header {% include 'footer' %}", 'footer.liquid': "Footer {% for x in (1..2) %}{% endfor %}{% include 'header' %}" });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain("prompts/write.liquid:2:13: error TEMPLATE_SYNTAX: {% include %}: partials include each other without end: header → footer → header (no condition on the way)");
    expect(result.stdout).toContain('hint: a partial that includes itself, directly or through others, must stop on a condition');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('Liquid: an include inside {% unless %}, {% case %} or {% for %} may stop the chain: valid', async () => {
    for (const condition of ["{% unless depth > 2 %}{% include 'header' %}{% endunless %}", "{% case depth %}{% when 1 %}{% include 'header' %}{% endcase %}", "{% for x in message.payload %}{% include 'header' %}{% endfor %}"]) {
      const cwd = project({ 'header.liquid': `{% assign depth = depth | plus: 1 %}${condition}` });
      const result = await sop(['validate', 'sop.yaml'], { cwd });
      expect(result.code, `${condition}\n${result.stdout}`).toBe(0);
    }
  });

  it('Handlebars: no block on the way is an error at the `{{> name}}` of the prompt', async () => {
    const cwd = handlebarsProject({ 'header.hbs': 'Header {{> footer}}', 'footer.hbs': '{{#if message.content}}Footer{{/if}} {{> header}}' });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toMatch(/^sop\.yaml:15:\d+: error TEMPLATE_SYNTAX: \{\{> header\}\}: partials include each other without end: header → footer → header \(no condition on the way\)$/m);
    expect(result.stdout).toContain('must stop on a condition ({{#if}})');
  });
});
