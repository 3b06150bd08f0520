import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSopError, type SopError } from '../../src/errors/index.js';
import type { SourceOrigin } from '../../src/spec/resolved.js';
import { createTemplateEngine } from '../../src/templates/index.js';

const origin = (line: number, column: number, lineOffset = 0): SourceOrigin => ({ file: 'team.yaml', line, column, pointer: '/roles/pm/actions/0/prompt', lineOffset });

function thrown(fn: () => unknown): SopError {
  try {
    fn();
  } catch (error) {
    if (isSopError(error)) return error;
    throw error;
  }
  throw new Error('expected a SopError');
}

const partialsRoot = mkdtempSync(path.join(tmpdir(), 'sop-templates-'));

describe.each(['liquid', 'handlebars'] as const)('%s engine', (name) => {
  const engine = createTemplateEngine(name, { partialsRoot });
  const hb = name === 'handlebars';

  it('renders without HTML escaping', () => {
    const template = engine.compile(hb ? 'A {{message.content}}' : 'A {{ message.content }}', origin(3, 5));
    expect(template.render({ message: { content: '<b>&"x"</b>' } })).toBe('A <b>&"x"</b>');
  });

  it('refuses an undefined variable at render time, naming the SOP line', () => {
    const template = engine.compile(hb ? 'line one\nhello {{nope}}' : 'line one\nhello {{ nope }}', origin(10, 7, 1));
    const error = thrown(() => template.render({ message: {} }));
    expect(error.code).toBe('TEMPLATE_RENDER');
    expect(error.diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 12 });
    expect(error.hint).toContain('message');
  });

  it('the same text in two places: each renders, and each error names its own place', () => {
    const text = hb ? 'Review: {{message.content}}' : 'Review: {{ message.content }}';
    const first = engine.compile(text, origin(20, 9));
    const second = engine.compile(text, { ...origin(40, 9), file: 'other.yaml' });
    expect(first.render({ message: { content: 'a' } })).toBe('Review: a');
    expect(second.render({ message: { content: 'b' } })).toBe('Review: b');
    expect(second.variables()).toEqual([['message', 'content']]);
    expect(thrown(() => first.render({})).diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 20 });
    expect(thrown(() => second.render({})).diagnostics[0]).toMatchObject({ file: 'other.yaml', line: 40 });
  });

  it('reports a syntax error at the SOP line of the template', () => {
    const text = hb ? 'Summarize {{#if message.content}}{{message.content}}' : 'Summarize {% if message.content %}{{ message.content }}';
    const error = thrown(() => engine.compile(text, origin(14, 17)));
    expect(error.code).toBe('TEMPLATE_SYNTAX');
    expect(error.diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 14 });
  });

  it('lists the variables a template reads, without loop-local ones', () => {
    const text = hb
      ? '{{message.payload.title}} {{#each memory}}{{this.content}}{{/each}} {{#if feedback}}{{feedback}}{{/if}} {{json inputs.idea}}'
      : '{{ message.payload.title }} {% for m in memory %}{{ m.content }}{% endfor %} {% if feedback %}{{ feedback }}{% endif %} {{ inputs.idea | json }}';
    const roots = engine.compile(text, origin(1, 1)).variables().map((segments) => segments.join('.'));
    expect(roots).toEqual(expect.arrayContaining(['message.payload.title', 'memory', 'feedback', 'inputs.idea']));
    expect(roots.some((root) => root.startsWith('m.') || root === 'this.content')).toBe(false);
  });

  it('allows an absent optional value in a condition', () => {
    const template = engine.compile(hb ? '{{#if feedback}}fix: {{feedback}}{{/if}}ok' : '{% if feedback %}fix: {{ feedback }}{% endif %}ok', origin(1, 1));
    expect(template.render({ feedback: '' })).toBe('ok');
  });

  it('includes partials from the SOP folder', () => {
    mkdirSync(path.join(partialsRoot, 'partials'), { recursive: true });
    writeFileSync(path.join(partialsRoot, hb ? 'partials/sig.hbs' : 'sig.liquid'), hb ? '-- {{role.profile}}' : '-- {{ role.profile }}');
    const template = engine.compile(hb ? 'Hi {{> sig}}' : "Hi {% include 'sig' %}", origin(1, 1));
    expect(template.render({ role: { profile: 'PM' } })).toBe('Hi -- PM');
  });
});

describe('an undefined variable inside a Liquid partial', () => {
  const engine = createTemplateEngine('liquid', { partialsRoot });
  writeFileSync(path.join(partialsRoot, 'style.liquid'), 'Style for {{ inputs.topic }}');

  it('`{% render %}` passes nothing: the error names the partial, is located at it, and says how to pass the variable (not "available here: inputs" of `inputs`)', () => {
    const template = engine.compile("line one\nWrite {{ inputs.topic }}. {% render 'style' %}", origin(10, 7, 1));
    const error = thrown(() => template.render({ inputs: { topic: 'tides' } }));
    expect(error.code).toBe('TEMPLATE_RENDER');
    expect(error.diagnostics[0]?.message).toBe('in partial `style`: undefined variable: inputs');
    // At the partial's name: column 38 of the template's second line, indented 6 in the SOP.
    expect(error.diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 12, column: 44 });
    expect(error.hint).toContain("{% render 'style', inputs: inputs %}");
    expect(engine.compile("{% render 'style', inputs: inputs %}", origin(1, 1)).render({ inputs: { topic: 'tides' } })).toBe('Style for tides');
  });

  it('`{% include %}` of a partial reading a variable nobody has: located at the partial, listing what exists', () => {
    writeFileSync(path.join(partialsRoot, 'footer.liquid'), '-- {{ signature }}');
    const error = thrown(() => engine.compile("Hi {% include 'footer' %}", origin(1, 1)).render({ inputs: {} }));
    expect(error.diagnostics[0]?.message).toBe('in partial `footer`: undefined variable: signature');
    expect(error.hint).toContain('available to the partial: inputs');
  });

  it('a missing field of a variable the partial has (`inputs.nope` through `{% include %}`) is not blamed on `{% render %}`', () => {
    writeFileSync(path.join(partialsRoot, 'aside.liquid'), 'See {{ inputs.nope }}');
    const error = thrown(() => engine.compile("Hi {% include 'aside' %}", origin(1, 1)).render({ inputs: { topic: 'tides' } }));
    expect(error.diagnostics[0]?.message).toBe('in partial `aside`: undefined variable: inputs.nope');
    expect(error.hint).not.toContain('is not passed');
  });
});
