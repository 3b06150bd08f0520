import { joinPointer } from '../pointer.js';
import { gateKinds } from '../resolve-action.js';
import type { RuleContext } from './rule-context.js';

/** Exactly one kind of check per gate: `assert` (or a shorthand: `length`, `matches`, `contains`), `command`, `judge` or `human`. */
export function gateKind(context: RuleContext): void {
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      (action.gates ?? []).forEach((gate, gateIndex) => {
        const pointer = joinPointer('/roles', roleId, 'actions', actionIndex, 'gates', gateIndex);
        const kinds = gateKinds(gate);
        if (kinds.length === 0) {
          context.sink.error('SCHEMA_MISSING_FIELD', joinPointer(pointer, 'assert'), `gate ${gateIndex} of action \`${action.id}\` checks nothing`, {
            expected: 'exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human`',
            hint: 'e.g. `assert: "size(output) > 0"` or `judge: { rubric: "..." }`',
          });
        } else if (kinds.length > 1) {
          context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, kinds[1]!), `gate ${gateIndex} of action \`${action.id}\` has ${kinds.map((kind) => `\`${kind}\``).join(' and ')}`, {
            at: 'key',
            expected: 'exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human` per gate',
            hint: 'write one gate per check; gates run in order and the first failing one decides',
          });
        }
      });
    });
  }
}
