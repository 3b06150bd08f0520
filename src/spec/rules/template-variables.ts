import { templateRoots } from '../contexts.js';
import type { RuleContext } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';
import { checkVariable, PLACE_WORDS } from './variable-check.js';

/**
 * TEMPLATE_VARIABLE_UNKNOWN / INPUT_UNDECLARED: templates are strict, so a variable that cannot
 * exist where the template is rendered is an error now rather than in the middle of a run.
 */
export function templateVariables(context: RuleContext): void {
  const declared = { inputs: context.sop.inputs.flatMap((input) => [input.name, ...input.aliases]), vars: Object.keys(context.sop.vars) };
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
      context.sink.error(problem.kind === 'input' ? 'INPUT_UNDECLARED' : 'TEMPLATE_VARIABLE_UNKNOWN', at.pointer, problem.message, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: problem.expected,
        hint: problem.hint,
      });
    }
  }
}
