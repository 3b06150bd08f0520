import type { RuleContext } from './rule-context.js';
import { positionAt } from './rule-context.js';

/** A Liquid tag: `{% if x %}`, `{%- for a in b -%}`, its name first. */
const LIQUID_TAG = /\{%-?\s*([a-z]+)[^%]*%\}/;
const DEFINES_VARIABLE = /\{%-?\s*(for|assign|capture|tablerow)\s/;

/**
 * TEMPLATE_LIQUID_IN_HANDLEBARS (a warning): with `settings.templates: handlebars`, a Liquid tag
 * (`{% if inputs.review %}`, left from a Liquid SOP or copied from the docs' Liquid examples) is
 * printed to the model as text: the prompt silently holds `{% if ... %}` and both branches. A
 * warning, not an error: the text may be meant (a prompt about Jinja or Liquid itself).
 */
export function liquidInHandlebars(context: RuleContext): void {
  if (context.sop.settings.templates !== 'handlebars') return;
  for (const site of context.templates()) {
    const tag = LIQUID_TAG.exec(site.template.text);
    // A loop or assignment defines a variable the template then reads: TEMPLATE_VARIABLE_UNKNOWN reports it, with this hint.
    if (!tag || DEFINES_VARIABLE.test(site.template.text)) continue;
    const at = positionAt(site.template, tag.index);
    context.sink.add({
      code: 'TEMPLATE_LIQUID_IN_HANDLEBARS', severity: 'warning', file: at.file, line: at.line, column: at.column, pointer: at.pointer,
      message: `\`${tag[0]}\` is a Liquid tag; this SOP's templates are Handlebars (\`settings.templates: handlebars\`), which sends it to the model as text`,
      expected: 'Handlebars: `{{#if inputs.review}}...{{/if}}`, `{{#each list}}{{ this.x }}{{/each}}`',
      hint: `write it in Handlebars (${HANDLEBARS[tag[1] as string] ?? '`{{#if x}}...{{/if}}`'}), or remove \`templates: handlebars\` to use Liquid`,
    });
  }
}

const HANDLEBARS: Record<string, string> = {
  if: '`{{#if x}}...{{else}}...{{/if}}`',
  unless: '`{{#unless x}}...{{/unless}}`',
  case: '`{{#if}}` per value',
};
