import { expressionRoots } from '../contexts.js';
import type { RuleContext } from './rule-context.js';
import { variableOffset, variablePosition } from './rule-context.js';
import { expressionExcerpt } from '../../expressions/excerpt.js';
import { checkVariable, PLACE_WORDS } from './variable-check.js';
import { commandLineHint } from './command-line-string.js';
import { EXPECTED } from './expression-types.js';
import { BARE_INPUT } from './input-conditions.js';

/** EXPRESSION_VARIABLE_UNKNOWN / INPUT_UNDECLARED: a CEL expression reads only what exists where it is evaluated. */
export function expressionVariables(context: RuleContext): void {
  const declared = { inputs: context.sop.inputs.flatMap((input) => [input.name, ...input.aliases]), vars: Object.keys(context.sop.vars) };
  for (const site of context.expressions()) {
    if (!site.compiled) continue;
    const roots = expressionRoots(site.place, site.facts);
    const reported = new Set<string>();
    const commandLine = commandLineHint(site.place, site.expression.source);
    // `enabled: inputs.review`: declared a string, as the general hint says, it would be refused next (input-conditions.ts).
    const booleanInput = EXPECTED[site.place] === 'bool' ? BARE_INPUT.exec(site.expression.source)?.[1] : undefined;
    for (const path of site.compiled.variables()) {
      const inputType = path[0] === 'inputs' && path[1] === booleanInput ? 'boolean' : 'string';
      const problem = checkVariable(path, roots, declared, PLACE_WORDS[site.place] ?? 'this expression', inputType);
      if (!problem || reported.has(problem.message)) continue;
      reported.add(problem.message);
      const written = path.slice(0, problem.kind === 'root' ? 1 : 2);
      const at = variablePosition(site.expression, written);
      // `command: "pytest"` (or `"wc -w"`) meant a program, not CEL variables: one error saying so.
      const asCommand = commandLine !== undefined && problem.kind === 'root';
      context.sink.error(problem.kind === 'input' ? 'INPUT_UNDECLARED' : 'EXPRESSION_VARIABLE_UNKNOWN', at.pointer,
        asCommand
          ? `\`command\` is one string, so it is read as a CEL expression giving the argv, and \`${site.expression.source.trim()}\` reads \`${path[0]}\`, no variable there`
          : `${problem.message} (\`${expressionExcerpt(site.expression.source, variableOffset(site.expression.source, written))}\`)`, {
          position: { line: at.line, column: at.column },
          expected: asCommand ? 'the program and its arguments as a list' : problem.expected,
          hint: asCommand ? commandLine : problem.hint,
        });
      if (asCommand) break;
    }
  }
}
