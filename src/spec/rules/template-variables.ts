import { isSopError } from '../../errors/index.js';
import type { PartialRead } from '../../templates/index.js';
import { templateRoots } from '../contexts.js';
import type { RuleContext, TemplateSite } from './rule-context.js';
import { displayFile, startOf, variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';
import { checkVariable, PLACE_WORDS, type DeclaredNames, type VariableProblem } from './variable-check.js';

/**
 * TEMPLATE_VARIABLE_UNKNOWN / INPUT_UNDECLARED: templates are strict, so a variable that cannot
 * exist where the template is rendered is an error now rather than in the middle of a run. The
 * partials a template includes are checked the same way, located in the partial's file.
 */
export function templateVariables(context: RuleContext): void {
  const declared = {
    inputs: context.sop.inputs.flatMap((input) => [input.name, ...input.aliases]),
    vars: Object.keys(context.sop.vars),
    earlier: { messageTypes: Object.keys(context.sop.messages), handlebars: context.sop.settings.templates === 'handlebars' },
  };
  // A partial's problem is reported once, however many templates include it.
  const partialsReported = new Set<string>();
  for (const site of context.templates()) {
    if (!site.compiled) continue;
    const roots = templateRoots(site.place, site.facts);
    const reported = new Set<string>();
    for (const path of site.compiled.variables()) {
      if (readsForbiddenField(path)) continue;
      const problem = checkVariable(path, roots, declared, PLACE_WORDS[site.place] ?? 'this template');
      if (!problem || reported.has(problem.message)) continue;
      reported.add(problem.message);
      const at = variablePosition(site.template, path.slice(0, problem.kind === 'root' ? 1 : 2));
      const liquid = context.sop.settings.templates === 'handlebars' && problem.kind === 'root' ? liquidLoopHint(site.template.text, path[0] as string) : undefined;
      context.sink.error(problem.kind === 'input' ? 'INPUT_UNDECLARED' : 'TEMPLATE_VARIABLE_UNKNOWN', at.pointer, problem.message, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: problem.expected,
        hint: liquid ?? problem.hint,
      });
    }
    partialVariables(context, site, roots, declared, partialsReported);
  }
}

/** The same check for the variables the template's partials read, each reported in its partial's file. */
function partialVariables(context: RuleContext, site: TemplateSite, roots: readonly string[], declared: DeclaredNames, reported: Set<string>): void {
  const includedBy = startOf(site.template);
  let reads: PartialRead[];
  try {
    reads = site.compiled?.partialReads?.() ?? [];
  } catch (error) {
    // A partial that does not parse: located in its file, once however many templates include it.
    if (!isSopError(error)) throw error;
    for (const diagnostic of error.diagnostics) {
      const key = `${diagnostic.file}\0${diagnostic.line}:${diagnostic.column}\0${diagnostic.code}`;
      if (reported.has(key)) continue;
      reported.add(key);
      context.sink.error(diagnostic.code, diagnostic.pointer ?? site.template.origin.pointer, diagnostic.message, {
        ...(diagnostic.file === undefined ? {} : { file: displayFile(context.sop, diagnostic.file) }),
        position: { line: diagnostic.line ?? 1, column: diagnostic.column ?? 1 },
        ...(diagnostic.hint === undefined ? {} : { hint: diagnostic.hint }),
      });
    }
    return;
  }
  for (const read of reads) {
    if (readsForbiddenField(read.path)) continue;
    const problem = read.isolated && roots.includes(read.path[0] ?? '')
      ? notPassed(read)
      : checkVariable(read.path, roots, declared, PLACE_WORDS[site.place] ?? 'this template');
    if (!problem) continue;
    const position = read.position ?? { line: 1, column: 1 };
    const key = `${read.file}\0${position.line}:${position.column}\0${problem.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const message = `in partial \`${read.partial}\` (included by ${includedBy.file}:${includedBy.line}): ${problem.message}`;
    context.sink.error(problem.kind === 'input' ? 'INPUT_UNDECLARED' : 'TEMPLATE_VARIABLE_UNKNOWN', site.template.origin.pointer, message, {
      file: displayFile(context.sop, read.file),
      position: { line: position.line, column: position.column },
      expected: problem.expected,
      hint: problem.hint,
    });
  }
}

/** A variable of the template that a `{% render %}` does not pass: the partial cannot see it. */
function notPassed(read: PartialRead): VariableProblem {
  const root = read.path[0] as string;
  return {
    kind: 'root',
    message: `\`${root}\` is not passed to the partial`,
    expected: `what \`{% render '${read.partial}' %}\` passes`,
    hint: `\`{% render %}\` gives a partial only what it names (\`{% render '${read.partial}', ${root}: ${root} %}\`); \`{% include %}\` gives it every variable`,
  };
}

/**
 * `{% for m in messages %}{{ m.type }}` in an SOP whose templates are Handlebars: Handlebars prints
 * the Liquid tag as text, so `m` is unknown. The hint names the engine and writes the Handlebars
 * loop (the Liquid engine names Handlebars blocks the same way the other way round).
 */
function liquidLoopHint(text: string, root: string): string | undefined {
  const loop = new RegExp(`\\{%-?\\s*for\\s+${root}\\s+in\\s+([^\\s%]+)`).exec(text);
  if (loop) {
    return `\`{% for ${root} in ${loop[1]} %}\` is Liquid; this SOP's templates are Handlebars (\`settings.templates: handlebars\`): write \`{{#each ${loop[1]}}}...{{/each}}\` and read the item as \`this\` (\`{{ this.type }}\`), or remove \`templates: handlebars\``;
  }
  if (new RegExp(`\\{%-?\\s*(assign|capture)\\s+${root}\\b`).test(text)) {
    return `\`{% assign ${root} %}\` is Liquid; this SOP's templates are Handlebars (\`settings.templates: handlebars\`), which prints it as text: read the value where it comes from, or remove \`templates: handlebars\``;
  }
  return undefined;
}
