import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/** DUPLICATE_ID: action ids are unique across the whole SOP, so events and reports can name them alone. */
export function uniqueActionIds(context: RuleContext): void {
  const seen = new Map<string, { pointer: string; roleId: string }>();
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, index) => {
      const pointer = joinPointer('/roles', roleId, 'actions', index, 'id');
      const first = seen.get(action.id);
      if (!first) {
        seen.set(action.id, { pointer, roleId });
        return;
      }
      const firstLine = context.sink.sourceMap?.locate(first.pointer).line;
      context.sink.error('DUPLICATE_ID', pointer, `action id \`${action.id}\` is used twice`, {
        expected: 'action ids unique across the SOP',
        hint: `the first \`${action.id}\` is in role \`${first.roleId}\`${firstLine ? ` (line ${firstLine})` : ''}; rename one of them`,
      });
    });
  }
}
