import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Liquid } from 'liquidjs';
import { isSopError } from '../../src/errors/index.js';
import type { SourceOrigin } from '../../src/spec/resolved.js';
import { createTemplateEngine } from '../../src/templates/index.js';
import { isPlainText } from '../../src/templates/plain-text.js';

// Plain texts and texts of plain outputs are rendered and analysed without liquidjs (which is then
// never loaded by a run of such an SOP, test/cli/lazy-loading.test.ts): the results must be liquidjs' own.
const { Liquid: LiquidClass } = createRequire(import.meta.url)('liquidjs') as { Liquid: typeof Liquid };
const reference = new LiquidClass({ jsTruthy: true, strictVariables: true, strictFilters: true, lenientIf: true, ownPropertyOnly: true });
const origin: SourceOrigin = { file: 'team.yaml', line: 4, column: 13, pointer: '/roles/pm/actions/0/prompt', lineOffset: 0 };
const engine = createTemplateEngine('liquid', { partialsRoot: mkdtempSync(path.join(tmpdir(), 'sop-plain-')) });
const context = { message: { content: 'a todo app', payload: { n: 3 } }, inputs: { idea: 'x' } };

describe('Liquid texts that need no liquidjs', () => {
  it.each([
    'Write the PRD.',
    'Braces alone stay text: { } }} {a} %} and 100% done',
    'Multi-line\n\n  indented\ttext with "quotes" & <b>tags</b>\n',
    '',
  ])('a plain text (%j) renders as liquidjs renders it, and reads no variable', (text) => {
    expect(isPlainText(text)).toBe(true);
    const template = engine.compile(text, origin);
    const parsed = reference.parse(text);
    expect(template.render(context)).toBe(reference.renderSync(parsed, context));
    expect(template.variables()).toEqual(reference.globalVariableSegmentsSync(parsed));
  });

  it.each([
    'Refine: {{ message.content }}',
    '{{message.content}} and {{ inputs.idea }}, again {{ message.content }}',
    'Count: {{ message.payload.n }}',
  ])('a text of plain outputs (%j) renders and lists its variables as liquidjs does', (text) => {
    expect(isPlainText(text)).toBe(false);
    const template = engine.compile(text, origin);
    const parsed = reference.parse(text);
    expect(template.render(context)).toBe(reference.renderSync(parsed, context));
    expect(template.variables()).toEqual(reference.globalVariableSegmentsSync(parsed));
    expect(template.allPaths()).toEqual(reference.variableSegmentsSync(parsed));
  });

  it('a text with tags and filters still renders through liquidjs', () => {
    const text = '{% if message.content %}{{ message.content | upcase }}{% endif %}{% for i in (1..2) %}-{{ i }}{% endfor %}';
    expect(isPlainText(text)).toBe(false);
    expect(engine.compile(text, origin).render(context)).toBe('A TODO APP-1-2');
  });

  it('a plain output of a missing variable is refused by liquidjs at render time, naming the SOP line', () => {
    const template = engine.compile('Refine: {{ message.nothing }}', origin);
    let error: unknown;
    try {
      template.render(context);
    } catch (caught) {
      error = caught;
    }
    expect(isSopError(error) && error.code).toBe('TEMPLATE_RENDER');
    expect(isSopError(error) && error.diagnostics[0]).toMatchObject({ file: 'team.yaml', line: 4 });
  });
});
