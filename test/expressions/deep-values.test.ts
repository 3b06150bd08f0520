import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { compileExpression } from '../../src/expressions/index.js';
import { createTemplateEngine } from '../../src/templates/index.js';

const origin = { file: 'team.yaml', line: 7, column: 12, pointer: '/roles/a/actions/0/when/if', lineOffset: 0 };

/** `{ a: { a: { ... } } }`, deeper than any recursive walk of it can follow. */
function deepValue(levels = 100_000): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let index = 0; index < levels; index++) node = (node.a = {}) as Record<string, unknown>;
  return root;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('data nested deeper than evaluation or rendering can follow', () => {
  it('a CEL condition over it fails as EXPRESSION_EVAL at the SOP line, not as a stack overflow', () => {
    const error = thrown(() => compileExpression({ source: 'payload.a != null', origin }).evaluate({ payload: deepValue() }));
    expect(isSopError(error) && error.code).toBe('EXPRESSION_EVAL');
    expect((error as Error).message).toBe('team.yaml:7:12: the `when.if` expression `payload.a != null` failed: the value it reads nests too deeply to evaluate');
  });

  it.each([
    ['liquid', '{{ payload | json }}'],
    ['handlebars', '{{json payload}}'],
  ] as const)('%s: rendering it fails as TEMPLATE_RENDER at the SOP line', (engine, text) => {
    const template = createTemplateEngine(engine, { partialsRoot: process.cwd() }).compile(text, origin);
    const error = thrown(() => template.render({ payload: deepValue() }));
    expect(isSopError(error) && error.code).toBe('TEMPLATE_RENDER');
    expect((error as Error).message).toBe('team.yaml:7:12: a value the template renders nests too deeply to render');
  });
});
