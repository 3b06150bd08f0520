import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/** Gate shorthands that CEL would only refuse at run time: a `matches` regex that does not compile, `length.min > length.max`; and `then` beside `route`. */
export function gateChecks(context: RuleContext): void {
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      (action.gates ?? []).forEach((gate, gateIndex) => {
        const pointer = joinPointer('/roles', roleId, 'actions', actionIndex, 'gates', gateIndex);
        if (gate.matches !== undefined) {
          try {
            new RegExp(gate.matches);
          } catch (error) {
            const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
            context.sink.error('SCHEMA_PATTERN', joinPointer(pointer, 'matches'), `\`matches\` is not a valid regular expression: ${reason}`, {
              expected: 'a JavaScript regular expression (unanchored), e.g. `^# ` or `[Tt]itle`',
              hint: /\(\?[a-z]+\)/.test(gate.matches) ? 'inline flags such as (?i) are not JavaScript: write `[Tt]itle`' : 'a literal `(`, `[`, `*` or `+` needs a backslash (two inside a double-quoted YAML string: "\\\\(")',
            });
          }
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
            hint: 'keep `route` to publish the feedback as a message, or `then: stop|warn`',
          });
        }
      });
    });
  }
}
