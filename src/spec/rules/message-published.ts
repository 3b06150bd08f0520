import { joinPointer } from '../pointer.js';
import { reachableRoles } from './message-flow.js';
import type { RuleContext } from './rule-context.js';

/**
 * MESSAGE_UNPUBLISHED (warning): a declared message type that a role watches, an action waits for
 * (`when.type`) or `stop_when` names, but that no start message, action output or gate route
 * publishes: the watch never delivers, the action never runs, the run never stops on it. Once per
 * type, at the first place it is named. A type only the watching role publishes is warned of too (a
 * role never receives its own messages: a self-refining `when: { type: Draft }` never runs). Roles that never act at all are ROLE_UNREACHABLE's (it
 * names the type already), and typos are errors of their own: judged as if fixed.
 */
export function messagePublished(context: RuleContext): void {
  const { document, emissions, type: fixed } = context.fixedFlow();
  const published = new Set(emissions.map((emission) => emission.type));
  /** The roles publishing each type (a start message's sender is the user). */
  const senders = new Map<string, Set<string>>();
  for (const emission of emissions) senders.set(emission.type, (senders.get(emission.type) ?? new Set()).add(emission.sender));
  const declared = new Set(Object.keys(document.messages ?? {}));
  const reached = reachableRoles(document, emissions);
  const reported = new Set<string>();
  const warn = (written: string, pointer: string, use: string, hint: string): void => {
    const type = fixed(written);
    if (!declared.has(type) || published.has(type) || reported.has(type)) return;
    reported.add(type);
    context.sink.warning('MESSAGE_UNPUBLISHED', pointer, `message type \`${type}\` ${use}, but nothing publishes it (no start message, action output or gate route)`, {
      expected: `an action with \`output: { type: ${type} }\`, a start message or a gate's \`route: ${type}\``,
      hint,
    });
  };
  const publish = (type: string): string => `publish \`${fixed(type)}\` from an action (\`output: { type: ${fixed(type)}, ... }\`)`;
  const ownOnly = new Set<string>();
  /** `roleId` alone publishes the type it waits for: never delivered to it. */
  const warnOwn = (written: string, roleId: string, pointer: string, use: string, hint: string): void => {
    const type = fixed(written);
    const from = senders.get(type);
    if (from === undefined || from.size !== 1 || !from.has(roleId) || ownOnly.has(`${roleId}\u0000${type}`)) return;
    ownOnly.add(`${roleId}\u0000${type}`);
    context.sink.warning('MESSAGE_UNPUBLISHED', pointer, `message type \`${type}\` ${use}, but only \`${roleId}\` publishes it, and a role never receives its own messages`, {
      expected: `another role, a start message or a gate's \`route\` publishing \`${type}\``,
      hint,
    });
  };
  for (const [roleId, role] of Object.entries(document.roles)) {
    if (!reached.has(roleId)) continue;
    role.watch.forEach((type, index) => {
      warn(type, joinPointer('/roles', roleId, 'watch', index), `is watched by role \`${roleId}\``, `${publish(type)}, or take it out of \`${roleId}\`'s \`watch\``);
    });
    role.actions.forEach((action, index) => {
      const written = action.when?.type;
      if (written === undefined) return;
      const pointer = joinPointer('/roles', roleId, 'actions', index, 'when', 'type');
      const entries: Array<[string, string]> = typeof written === 'string' ? [[written, pointer]] : written.map((type, at) => [type, joinPointer(pointer, at)]);
      for (const [type, at] of entries) {
        warn(type, at, `triggers action \`${action.id}\` of role \`${roleId}\``, `${publish(type)}, or make \`${action.id}\` wait for a type another action outputs: it never runs`);
        warnOwn(type, roleId, at, `triggers action \`${action.id}\` of role \`${roleId}\``, `\`${action.id}\` never runs: to revise an output, give its action a gate with \`on_fail: { revise: N }\`, or move \`${action.id}\` to a role of its own that watches \`${fixed(type)}\``);
      }
    });
  }
  const stops = document.stop_when === undefined ? [] : Array.isArray(document.stop_when) ? document.stop_when.map((condition, index) => [condition, joinPointer('/stop_when', index, 'type')] as const) : [[document.stop_when, '/stop_when/type'] as const];
  for (const [condition, pointer] of stops) {
    warn(condition.type, pointer, 'ends the run (`stop_when`)', `${publish(condition.type)}, or stop on a type an action outputs: no run completes on it`);
  }
}
