import { regexProblem } from '../../expressions/regex.js';
import { declaredGates } from '../gate-places.js';
import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/** Gate shorthands that CEL would only refuse at run time: a `matches` regex that does not compile, `length.min > length.max`; and `then` beside `route`. */
export function gateChecks(context: RuleContext): void {
  for (const { gate, pointer } of declaredGates(context.document)) {
    const problem = gate.matches === undefined ? undefined : regexProblem(gate.matches);
    if (problem !== undefined) {
      context.sink.error('SCHEMA_PATTERN', joinPointer(pointer, 'matches'), `\`matches\` is not a valid regular expression: ${problem}`, {
        expected: 'an RE2 regular expression (unanchored), e.g. `^# ` or `(?i)title`',
        hint: /\(\?<?[=!]|\\[1-9]/.test(gate.matches ?? '')
          ? 'RE2 has no lookaround or backreferences (they can take exponential time): match the text itself, or use a CEL `assert`'
          : 'a literal `(`, `[`, `*` or `+` needs a backslash (two inside a double-quoted YAML string: "\\\\(")',
      });
    }
    const { min, max } = gate.length ?? {};
    if (min !== undefined && max !== undefined && min > max) {
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'length', 'min'), `\`length.min\` (${min}) is above \`length.max\` (${max})`, {
        expected: '`min` at most `max`',
        hint: 'no output could pass: swap them, or drop one bound',
      });
    }
    const onFail = gate.on_fail;
    if (typeof onFail === 'object' && onFail.route !== undefined && onFail.then !== undefined) {
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'on_fail', 'then'), '`then` and `route` both say what happens after the revisions', {
        at: 'key',
        hint: 'keep `route` to publish the feedback as a message, or write `then: stop`, `then: warn` or `then: { route: Type, to: role }`',
      });
    }
  }
}
