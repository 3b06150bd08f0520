import { checkExpression } from '../../expressions/index.js';
import { toFilePosition } from '../../templates/index.js';
import type { ExpressionPlace } from '../contexts.js';
import type { ExpressionText } from '../resolved.js';
import type { RuleContext } from './rule-context.js';
import { PLACE_WORDS } from './variable-check.js';

/** What each place needs its expression to give (also read by `input-conditions.ts`). */
export const EXPECTED: Record<ExpressionPlace, 'bool' | 'list'> = {
  when: 'bool',
  'stop-when': 'bool',
  'gate-assert': 'bool',
  'human-enabled': 'bool',
  'start-if': 'bool',
  foreach: 'list',
  'artifact-foreach': 'list',
  'artifact-if': 'bool',
  precondition: 'bool',
  'reads-each': 'list',
  'command-argv': 'list',
  'gate-argv': 'list',
};

/**
 * Found by type-checking each expression that parses (every variable unknown until the run):
 * EXPRESSION_SYNTAX for calls to functions CEL does not have (`frob(x)`, `content.frob()`) and
 * operations that can never work (`"a" + 1`); EXPRESSION_TYPE for results of the wrong kind for
 * the place (`when.if: 42`, `foreach: "x"`). Each would otherwise fail the run when first evaluated.
 */
export function expressionTypes(context: RuleContext): void {
  for (const site of context.expressions()) {
    if (!site.compiled) continue;
    const { type, problem } = checkExpression(site.expression);
    if (problem) {
      context.sink.add({ code: 'EXPRESSION_SYNTAX', severity: 'error', message: problem.message, hint: problem.hint, ...at(site.expression, problem.offset) });
      continue;
    }
    const expected = EXPECTED[site.place];
    if (!type || type === 'dyn' || (expected === 'bool' ? type === 'bool' : type.startsWith('list'))) continue;
    const words = expected === 'bool' ? 'true or false' : 'a list';
    context.sink.add({
      code: 'EXPRESSION_TYPE', severity: 'error', ...at(site.expression, undefined),
      message: `${PLACE_WORDS[site.place] ?? site.place} must give ${words}; \`${site.expression.source}\` gives ${type === 'bool' ? 'a boolean' : `a value of type ${type}`}`,
      expected: words,
      hint: expected === 'bool' ? 'compare the value: `size(content) > 0`, `payload.passed == true`' : 'give a list: `payload.items`, `[1, 2, 3]`',
    });
  }
}

/** File position of an offset inside the expression (its start when unknown). */
function at(expression: ExpressionText, offset: number | undefined): { file: string; line: number; column: number; pointer: string } {
  const { origin } = expression;
  let position: { line: number; column: number } | undefined;
  if (offset !== undefined) {
    const before = expression.source.slice(0, offset).split('\n');
    position = { line: before.length, column: (before.at(-1) as string).length + 1 };
  }
  return { file: origin.file, ...toFilePosition(origin, position), pointer: origin.pointer };
}
