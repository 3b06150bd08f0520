import type { RuleContext } from './rule-context.js';

/** TEMPLATE_SYNTAX: every template compiles with the SOP's engine, located at the SOP line of the problem. */
export function templateSyntax(context: RuleContext): void {
  for (const site of context.templates()) context.sink.add(...site.errors);
}
