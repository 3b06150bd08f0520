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
      if (path[0] === 'output' && path.length > 1 && roots.includes('output')) {
        // `output` is the output's text: `output.length` (as JavaScript writes it) passed here and failed the run, "No such key: length".
        const at = variablePosition(site.expression, path.slice(0, 2));
        context.sink.error('EXPRESSION_VARIABLE_UNKNOWN', at.pointer, `\`output\` is the output's text, a string with no fields: \`output.${path[1]}\` fails when checked (\`${expressionExcerpt(site.expression.source, variableOffset(site.expression.source, path.slice(0, 2)))}\`)`, {
          position: { line: at.line, column: at.column },
          expected: 'the text itself, or a field of `payload` (a `format: json` output\'s data)',
          hint: path[1] === 'length' || path[1] === 'size' ? 'its length is `size(output)`' : `read the text with CEL's string functions (\`output.contains("...")\`, \`size(output)\`), or a JSON output's field as \`payload.${path[1]}\``,
        });
        continue;
      }
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
