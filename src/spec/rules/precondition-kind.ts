import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

const KINDS = ['assert', 'command'] as const;

/** An action's `precondition` checks exactly one thing: a CEL `assert` or a `command`. */
export function preconditionKind(context: RuleContext): void {
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      if (!action.precondition) return;
      const pointer = joinPointer('/roles', roleId, 'actions', actionIndex, 'precondition');
      const kinds = KINDS.filter((kind) => action.precondition?.[kind] !== undefined);
      if (kinds.length === 1) return;
      const both = kinds.length > 1;
      context.sink.error(both ? 'SCHEMA_VIOLATION' : 'SCHEMA_MISSING_FIELD', both ? joinPointer(pointer, 'command') : pointer, `the precondition of action \`${action.id}\` ${both ? 'has both `assert` and `command`' : 'checks nothing'}`, {
        at: 'key',
        expected: 'exactly one of `assert` (a CEL condition) and `command` (a command that must exit 0)',
        hint: both ? 'check the rest in a gate, or fold it into the command' : 'e.g. `precondition: { assert: "size(files[\'data.csv\']) > 0" }`',
      });
    });
  }
}
