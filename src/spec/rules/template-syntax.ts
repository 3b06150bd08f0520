import type { RuleContext } from './rule-context.js';

/**
 * TEMPLATE_SYNTAX: every template compiles with the SOP's engine, located at the SOP line of the problem.
 * A problem in a file several templates include (a Handlebars partial) is reported once, as
 * template-variables reports a partial's variables: one mistake, one error, whichever includer found it first.
 */
export function templateSyntax(context: RuleContext): void {
  const reported = new Set<string>();
  for (const site of context.templates()) {
    for (const error of site.errors) {
      const key = `${error.file}\0${error.line}:${error.column}\0${error.code}\0${error.message.replace(/ \(included by [^)]*\)/, '')}`;
      if (reported.has(key)) continue;
      reported.add(key);
      context.sink.add(error);
    }
  }
}
