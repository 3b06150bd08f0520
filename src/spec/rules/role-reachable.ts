import { joinPointer } from '../pointer.js';
import { reachableRoles } from './message-flow.js';
import type { RuleContext } from './rule-context.js';

/**
 * ROLE_UNREACHABLE (warning): a role no message can ever reach, so it never acts. Judged as if
 * misspelled names were fixed: `to: reviwer` is an error already, not a reason `reviewer` never acts.
 */
export function roleReachable(context: RuleContext): void {
  if (context.document.start === undefined) return startMissing(context);
  const { document, emissions } = context.fixedFlow();
  const reached = reachableRoles(document, emissions);
  for (const [roleId, role] of Object.entries(document.roles)) {
    if (reached.has(roleId)) continue;
    const emitted = new Set(emissions.filter((emission) => emission.sender !== roleId).map((emission) => emission.type));
    // Addressed by `to` (or an escalation) from roles that never act themselves.
    const addressed = emissions.some((emission) => emission.sender !== roleId && emission.to?.includes(roleId) === true);
    const types = role.watch.map((type) => `\`${type}\``).join(', ');
    // A watched type a role that acts does emit, but addresses to another role (or to a `to:` naming none).
    const elsewhere = emissions.find((emission) => emission.sender !== roleId && role.watch.includes(emission.type) && (emission.sender === 'user' || reached.has(emission.sender)));
    const why =
      role.watch.length === 0
        ? 'it watches no message type'
        : elsewhere !== undefined
          ? `\`${elsewhere.type}\` is addressed elsewhere (${addressedTo(elsewhere.to ?? [], document)})`
          : role.watch.some((type) => emitted.has(type))
            ? `${types} ${role.watch.length === 1 ? 'is' : 'are'} only emitted by roles that are never reached`
            : `nothing emits ${types}`;
    const addressWhy = addressed ? 'only roles that are never reached address messages to it' : 'no message is addressed to it';
    context.sink.warning('ROLE_UNREACHABLE', joinPointer('/roles', roleId), `role \`${roleId}\` never acts: ${why}, and ${addressWhy}`, {
      at: 'key',
      expected: 'a watched type that a start message, another role\'s action or a gate route emits',
      hint:
        role.watch.length === 0
          ? `address a message to \`${roleId}\` with \`to\` from a role that acts, watch a type another role emits, or remove the role`
          : elsewhere !== undefined
            ? `address \`${elsewhere.type}\` to \`${roleId}\` (or remove its \`to\` to deliver it by type), or remove the role`
            : `emit one of ${types} from another role, address a message to \`${roleId}\` with \`to\`, or remove the role`,
    });
  }
}

/** Where a message goes instead: to `triager`, or `to: support`, which names no role (an error of its own). */
function addressedTo(roleIds: readonly string[], document: RuleContext['document']): string {
  if (roleIds.length === 0) return 'to no role';
  return roleIds.map((roleId) => (Object.hasOwn(document.roles, roleId) ? `to \`${roleId}\`` : `\`to: ${roleId}\`, which names no role`)).join(' or ');
}

/**
 * START_MISSING (error): an SOP without `start:` publishes nothing before round 1, so no role can
 * ever act and every run stalls at once. Said instead of one ROLE_UNREACHABLE per role.
 */
function startMissing(context: RuleContext): void {
  const watched = Object.values(context.document.roles).flatMap((role) => role.watch)[0] ?? 'Idea';
  context.sink.error('START_MISSING', '/roles', 'the SOP has no `start:`: no message is published before round 1, so no role can ever act', {
    at: 'key',
    expected: 'a `start:` list of the messages that begin a run, of a type a role watches',
    hint: `add \`start: [{ type: ${watched}, content: "{{ inputs.idea }}" }]\` above \`roles:\``,
  });
}
