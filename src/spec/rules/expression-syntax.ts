import type { RuleContext } from './rule-context.js';
import { commandLineHint } from './command-line-string.js';

/**
 * EXPRESSION_SYNTAX: every CEL expression (`when.if`, `stop_when.if`, `foreach`, `assert`,
 * `human.enabled`, `start[].if`) parses, and the patterns it gives `matches()` as literals compile.
 * A gate's `matches` shorthand compiles to CEL too; its pattern is reported by `gateChecks`, in
 * the shorthand's own words, so not twice.
 */
export function expressionSyntax(context: RuleContext): void {
  for (const site of context.expressions()) {
    if (site.expression.origin.pointer.endsWith('/matches')) continue;
    const hint = commandLineHint(site.place, site.expression.source);
    if (!hint) {
      context.sink.add(...site.errors);
      continue;
    }
    // `command: "python3 check.py"` meant a command line, not CEL: say so rather than how CEL failed.
    context.sink.add(...site.errors.map((error) => ({
      ...error,
      message: `\`command\` is one string, so it is read as a CEL expression giving the argv, and \`${site.expression.source.trim()}\` is not CEL (${error.message})`,
      expected: 'the program and its arguments as a list',
      hint,
    })));
  }
}
