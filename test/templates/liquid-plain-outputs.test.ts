import { createRequire } from 'node:module';
import type { Liquid as LiquidType } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { plainOutputs } from '../../src/templates/liquid-plain-outputs.js';

// The real liquidjs, with the options of the engine that matter here: what the direct render must match.
const { Liquid } = createRequire(import.meta.url)('liquidjs') as { Liquid: typeof LiquidType };
const liquid = new Liquid({ strictVariables: true, strictFilters: true, ownPropertyOnly: true, jsTruthy: true, lenientIf: true });

class Drop {
  content = 'from a class';
}

describe('plain outputs rendered directly', () => {
  const context = {
    message: { content: 'a todo app', payload: { title: 'T', tags: ['x', 'y'], count: 3, nested: { deep: 'd' } } },
    inputs: { idea: 'notes' },
    empty: '',
    list: ['a', 'b'],
    instance: new Drop(),
    bare: Object.assign(Object.create(null) as Record<string, unknown>, { text: 'no prototype' }),
  };

  it.each([
    'Review: {{ message.content }}',
    '{{message.content}} for {{ inputs.idea }}!',
    'Title {{ message.payload.title }}, deep {{ message.payload.nested.deep }}',
    '{{\n  message.content\n}}',
    'no outputs at all } { }}',
    '{{ bare.text }}',
  ])('%j: the same text liquidjs renders', (text) => {
    const render = plainOutputs(text);
    expect(render).toBeDefined();
    expect(render?.(context)).toBe(liquid.parseAndRenderSync(text, context));
  });

  it.each([
    '{{ message.payload.count }}', // a number
    '{{ message.payload.tags }}', // a list
    '{{ list.size }}', // size of a list
    '{{ message.payload.tags.first }}',
    '{{ message.missing }}', // undefined: liquidjs reports it
    '{{ message.content.length }}', // a property of a string
    '{{ message.toString }}', // inherited
    '{{ instance.content }}', // not plain data
  ])('%j: left to liquidjs', (text) => {
    expect(plainOutputs(text)?.(context)).toBeUndefined();
  });

  it.each([
    '{{ message.content | upcase }}',
    '{{- message.content -}}',
    '{% if inputs.idea %}x{% endif %}',
    '{{ message["content"] }}',
    '{{ true }}',
    '{{ nil }}',
    '{{ "text" }}',
    '{{ message.content }} and {{ unclosed',
  ])('%j: not a plain text, so never rendered directly', (text) => {
    expect(plainOutputs(text)).toBeUndefined();
  });
});
