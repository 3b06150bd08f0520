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

  describe('a render is bounded in time and size', () => {
    const list = Array.from({ length: 200 }, (_, index) => index);
    const nested = hb
      ? '{{#each xs}}{{#each @root.xs}}{{#each @root.xs}}{{#each @root.xs}}.{{/each}}{{/each}}{{/each}}{{/each}}'
      : '{% for a in xs %}{% for b in xs %}{% for c in xs %}{% for d in xs %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}';

    it('loops nested over long lists stop at the time bound, located at the template, with how to bound them; the engine renders on after', () => {
      const bounded = createTemplateEngine(name, { partialsRoot, renderLimitMs: 100 });
      const started = performance.now();
      const error = thrown(() => bounded.compile(nested, origin(4, 9)).render({ xs: list }));
      // 200^4 iterations: hours unbounded. (Generous: the bound is 100 ms.)
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('TEMPLATE_RENDER');
      expect(error.diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 4, message: expect.stringContaining('took more than 0.1 s to render') });
      expect(error.hint).toContain(hb ? 'fewer `{{#each}}`' : 'limit:');
      expect(bounded.compile(hb ? '{{#each xs}}{{this}}{{/each}}' : '{% for x in xs limit: 3 %}{{ x }}{% endfor %}', origin(1, 1)).render({ xs: [1, 2, 3] })).toBe('123');
    });

    it('a text past the largest string JavaScript holds is refused as too large, not an undefined variable or a crash', () => {
      const text = hb ? '{{#each xs}}{{@root.big}}{{/each}}' : '{% for x in xs %}{{ big }}{% endfor %}';
      const error = thrown(() => engine.compile(text, origin(2, 3)).render({ xs: list, big: 'y'.repeat(4 * 1024 * 1024) }));
      expect(error.code).toBe('TEMPLATE_RENDER');
      expect(error.diagnostics[0]?.message).toContain('a text longer than JavaScript can hold');
    });
  });
});

it('Liquid: a range of a hundred million numbers is refused at once, before it is made (liquidjs\' memoryLimit)', () => {
  const engine = createTemplateEngine('liquid', { partialsRoot });
  const error = thrown(() => engine.compile('{% for i in (1..100000000) %}{{ i }}{% endfor %}', origin(1, 1)).render({}));
  expect(error.diagnostics[0]?.message).toBe('the template builds more than 30,000,000 values and characters while rendering: a loop repeats too often, or over text too large');
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
