import { EXPECTED } from './expression-types.js';
import type { RuleContext } from './rule-context.js';
import { startOf } from './rule-context.js';
import { PLACE_WORDS } from './variable-check.js';

/** `inputs.review`, `!inputs.review`: a condition that is one input, used as true or false as it is. */
export const BARE_INPUT = /^\s*!?\s*inputs\s*\.\s*([A-Za-z_]\w*)\s*$/;

/**
 * EXPRESSION_TYPE: a condition that is one input not declared `type: boolean` (`human: { enabled:
 * inputs.review }` with `review: { description: ... }`, a string by default) passed `sop validate`
 * and failed the run when first evaluated, after the rounds before it were paid for: a string input
 * is `"true"`, never `true`.
 */
export function inputConditions(context: RuleContext): void {
  for (const site of context.expressions()) {
    if (EXPECTED[site.place] !== 'bool' || !site.compiled) continue;
    const name = BARE_INPUT.exec(site.expression.source)?.[1];
    if (name === undefined) continue;
    const input = context.sop.inputs.find((candidate) => candidate.name === name || candidate.aliases.includes(name));
    if (!input) continue; // INPUT_UNDECLARED says so
    const type = input.type ?? 'string'; // resolved: `string` when the SOP declares no `type`
    if (type === 'boolean') continue;
    context.sink.add({
      code: 'EXPRESSION_TYPE', severity: 'error', ...startOf(site.expression),
      message: `${PLACE_WORDS[site.place] ?? site.place} must give true or false; input \`${input.name}\` is of \`type: ${type}\``,
      expected: `an input of \`type: boolean\`, or a comparison (\`inputs.${input.name} == ${type === 'string' ? '"yes"' : '1'}\`)`,
      hint: `declare it \`${input.name}: { type: boolean, default: false }\` (\`--input ${input.name}=true\` turns it on), or compare its value`,
    });
  }
}
