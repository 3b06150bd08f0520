import type { RuleContext } from './rule-context.js';
import { positionAt } from './rule-context.js';

/**
 * `{topic}` (CrewAI's and Python's `str.format` placeholder) or `${topic}` (a shell's, JavaScript's),
 * one brace where a template reads a variable with two: the name not next to another brace, so
 * `{{ x }}` and Handlebars' `{{{ x }}}` are not taken.
 */
const SINGLE_BRACE = /(?<![{\\])(\$?)\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}(?!\})/g;

/** What every template may read, besides the inputs by name: `{message.content}` means `{{ message.content }}` too. */
const TEMPLATE_ROOTS = new Set(['inputs', 'message', 'item', 'index', 'vars', 'role', 'run', 'files', 'memory', 'feedback', 'previous_output', 'output', 'payload']);

/**
 * TEMPLATE_SINGLE_BRACE (a warning): `Write about {topic}` names an input, or a template variable,
 * in single braces, which no template engine reads: the model was sent the text `{topic}` and wrote
 * about that, and `sop validate` said nothing. Only names the template could mean are taken (an
 * input of the SOP, `message`, `item`, ...), so a prompt's JSON or code examples are left alone; a
 * warning, not an error, since the text may be meant (a prompt about Python's `str.format`).
 */
export function templateSingleBrace(context: RuleContext): void {
  const inputNames = new Set(context.sop.inputs.flatMap((input) => [input.name, ...input.aliases]));
  const liquid = context.sop.settings.templates !== 'handlebars';
  for (const site of context.templates()) {
    for (const match of site.template.text.matchAll(SINGLE_BRACE)) {
      const [written, , root = '', rest = ''] = match;
      const isInput = inputNames.has(root);
      if (!isInput && !TEMPLATE_ROOTS.has(root)) continue;
      const meant = `${isInput && !TEMPLATE_ROOTS.has(root) ? 'inputs.' : ''}${root}${rest}`;
      const at = positionAt(site.template, match.index);
      context.sink.add({
        code: 'TEMPLATE_SINGLE_BRACE', severity: 'warning', file: at.file, line: at.line, column: at.column, pointer: at.pointer,
        message: `\`${written}\` is sent to the model as written: a template reads a variable in double braces`,
        expected: liquid ? '`{{ inputs.NAME }}`, `{{ message.content }}`, `{{ item }}` (Liquid)' : '`{{ inputs.NAME }}`, `{{ message.content }}`, `{{ this }}` (Handlebars)',
        hint: `write \`{{ ${meant} }}\`${isInput ? ` (the input \`${root}\`)` : ''}`,
      });
    }
  }
}
