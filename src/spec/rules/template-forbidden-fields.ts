import type { RuleContext } from './rule-context.js';
import { variablePosition } from './rule-context.js';

/** Names that reach JavaScript's object machinery rather than the data passed in. */
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** True when a template path reads one of them (other template rules leave such paths to this one). */
export function readsForbiddenField(path: readonly string[]): boolean {
  return path.some((segment) => FORBIDDEN.has(segment));
}

/**
 * TEMPLATE_FIELD_FORBIDDEN: no template reads `constructor`, `__proto__` or `prototype`, in any
 * scope (`{{ message.constructor }}`, `{% for m in memory %}{{ m.__proto__ }}`, `lookup x "constructor"`).
 * Both engines refuse them when rendering (own properties only), which would fail the run midway.
 */
export function templateForbiddenFields(context: RuleContext): void {
  for (const site of context.templates()) {
    if (!site.compiled) continue;
    const reported = new Set<string>();
    for (const path of site.compiled.allPaths()) {
      const index = path.findIndex((segment) => FORBIDDEN.has(segment));
      if (index === -1) continue;
      const written = path.slice(0, index + 1);
      if (reported.has(written.join('.'))) continue;
      reported.add(written.join('.'));
      const at = variablePosition(site.template, written);
      context.sink.error('TEMPLATE_FIELD_FORBIDDEN', at.pointer, `\`${written.join('.')}\`: templates read data only; \`${path[index]}\` is JavaScript's object machinery`, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: 'a field of the data (message, payload, inputs, ...)',
        hint: 'read the field you need (`message.type`, `payload.title`); to show a value\'s structure use `{{ x | json }}` (Liquid) or `{{json x}}` (Handlebars)',
      });
    }
  }
}
