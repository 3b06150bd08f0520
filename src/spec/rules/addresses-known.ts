import { joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

/** ADDRESS_UNKNOWN: `output.to` and `start[].to` must name a role. */
export function addressesKnown(context: RuleContext): void {
  const roles = Object.keys(context.document.roles);
  const check = (to: string | undefined, pointer: string): void => {
    if (to === undefined || roles.includes(to)) return;
    context.sink.error('ADDRESS_UNKNOWN', pointer, `\`to: ${to}\` names no role`, {
      expected: `a role id: ${listNames(roles, to)}`,
      hint: didYouMean(to, roles) ?? 'address a role declared under `roles:`, or remove `to` to deliver by type',
    });
  };
  (context.document.start ?? []).forEach((message, index) => check(message.to, joinPointer('/start', index, 'to')));
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, index) => check(action.output.to, joinPointer('/roles', roleId, 'actions', index, 'output', 'to')));
  }
}
