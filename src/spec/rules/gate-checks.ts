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
            context.sink.error('SCHEMA_PATTERN', joinPointer(pointer, 'matches'), `\`matches\` is not a valid regular expression: ${(error as Error).message}`, {
              hint: 'JavaScript regular expression syntax; inline flags such as (?i) are not supported',
            });
          }
        }
        const { min, max } = gate.length ?? {};
        if (min !== undefined && max !== undefined && min > max) {
          context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'length', 'min'), `\`length.min\` (${min}) is above \`length.max\` (${max})`, { hint: 'no output could pass' });
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
