import type { RuleContext } from './rule-context.js';

/**
 * EXPRESSION_SYNTAX: every CEL expression (`when.if`, `stop_when.if`, `foreach`, `assert`,
 * `human.enabled`, `start[].if`) parses, and the patterns it gives `matches()` as literals compile.
 * A gate's `matches` shorthand compiles to CEL too; its pattern is reported by `gateChecks`, in
 * the shorthand's own words, so not twice.
 */
export function expressionSyntax(context: RuleContext): void {
  for (const site of context.expressions()) {
    if (site.expression.origin.pointer.endsWith('/matches')) continue;
    context.sink.add(...site.errors);
  }
}
