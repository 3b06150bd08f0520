import { roleForActionId } from '../foreign-names.js';
import { joinPointer } from '../pointer.js';
import type { ResolvedAction, ResolvedRole } from '../resolved.js';
import { recipientCandidates } from '../recipients.js';
import { didYouMean, listNames } from '../suggest.js';
import { triggerTypes, type RuleContext } from './rule-context.js';

/**
 * ADDRESS_UNKNOWN: `output.to`, `start[].to` and an escalation's `then.to` must name a role; a
 * dynamic `to` (`{{ payload.assignee }}`) whose values the SOP knows (an `enum` in the payload
 * schema) must only render to roles. Other dynamic values are checked when the message is published.
 */
export function addressesKnown(context: RuleContext): void {
  const roles = Object.keys(context.document.roles);
  const check = (to: string | undefined, pointer: string): void => {
    if (to === undefined || to.includes('{{') || roles.includes(to)) return;
    context.sink.error('ADDRESS_UNKNOWN', pointer, `\`to: ${to}\` names no role`, {
      expected: `a role id: ${listNames(roles)}`,
      hint: roleForActionId(to, context.document) ?? didYouMean(to, roles) ?? 'address a role declared under `roles:`, or remove `to` to deliver by type',
    });
  };
  (context.document.start ?? []).forEach((message, index) => check(message.to, joinPointer('/start', index, 'to')));
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, index) => check(action.output.to, joinPointer('/roles', roleId, 'actions', index, 'output', 'to')));
  }
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      for (const gate of action.gates) {
        const then = typeof gate.onFail === 'object' ? gate.onFail.then : undefined;
        if (typeof then === 'object') check(then.to, joinPointer(gate.pointer, 'on_fail', 'then', 'to'));
      }
      const candidates = recipientCandidates(context.sop, action);
      if (candidates?.source === 'senders') replyToUser(context, role, action);
      if (candidates?.source !== 'enum') continue;
      for (const value of candidates.values.filter((candidate) => !roles.includes(candidate))) {
        context.sink.error('ADDRESS_UNKNOWN', joinPointer(action.pointer, 'output', 'to'), `\`to\` can render to \`${value}\` (an \`enum\` value of \`${candidates.field}\`), which names no role`, {
          expected: `every value of \`${candidates.field}\`'s enum a role id: ${listNames(roles)}`,
          hint: didYouMean(value, roles) ?? `rename the enum value to a role, or add a role \`${value}\``,
        });
      }
    }
  }
}

/**
 * `to: "{{ message.from }}"` on an action a start message surely triggers (no `if` on either, a
 * `by_order` role) renders to `user`, which is no role: the run would fail at its first action.
 */
function replyToUser(context: RuleContext, role: ResolvedRole, action: ResolvedAction): void {
  if (action.whenIf !== undefined || role.react.mode !== 'by_order') return;
  const triggers = triggerTypes(context.sop, role, action);
  const start = context.sop.start.find((message) => message.if === undefined && triggers.includes(message.type) && (message.to === undefined ? role.watch.includes(message.type) : message.to === role.id));
  if (!start) return;
  context.sink.error('ADDRESS_UNKNOWN', joinPointer(action.pointer, 'output', 'to'), `\`to: ${action.output.toTemplate?.text.trim()}\` replies to the sender, and the start message \`${start.type}\` (from \`user\`, no role) triggers action \`${action.id}\``, {
    expected: 'a trigger sent by a role',
    hint: `name the role to answer (\`to: some_role\`), leave \`${start.type}\` to another action (\`when: { type: ... }\`), or add \`when.if: from != 'user'\``,
  });
}
