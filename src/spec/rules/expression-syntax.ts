import type { RuleContext } from './rule-context.js';

/** EXPRESSION_SYNTAX: every CEL expression (`when.if`, `stop_when.if`, `foreach`, `assert`, `human.enabled`, `start[].if`) parses. */
export function expressionSyntax(context: RuleContext): void {
  for (const site of context.expressions()) context.sink.add(...site.errors);
}
