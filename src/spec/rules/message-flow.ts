import { escalationOf } from '../gate-places.js';
import { joinPointer } from '../pointer.js';
import { addresseesOf } from '../recipients.js';
import type { ResolvedSop } from '../resolved.js';
import type { SOP } from '../sop.types.generated.js';

/** A message the SOP can publish: a start message, an action's output, or a failing gate's route (escalation). */
export interface Emission {
  type: string;
  /** The roles it may be addressed to (one for a written `to`, the candidates of a dynamic one); undefined: delivered by type. */
  to: readonly string[] | undefined;
  /** Role id of the publisher, or `user` for start messages. */
  sender: string;
  /** Where the type is named. */
  pointer: string;
  origin: 'start' | 'output' | 'route';
}

export function emissionsOf(sop: ResolvedSop): Emission[] {
  const emissions: Emission[] = [];
  (sop.document.start ?? []).forEach((message, index) => {
    emissions.push({ type: message.type, to: message.to === undefined ? undefined : [message.to], sender: 'user', pointer: joinPointer('/start', index, 'type'), origin: 'start' });
  });
  for (const role of sop.roles) {
    for (const action of role.actions) {
      emissions.push({ type: action.output.type, to: addresseesOf(sop, action), sender: role.id, pointer: joinPointer(action.pointer, 'output', 'type'), origin: 'output' });
      for (const gate of action.gates) {
        const escalation = escalationOf(gate.onFail);
        if (!escalation) continue;
        emissions.push({
          type: escalation.route, to: escalation.to === undefined ? undefined : [escalation.to], sender: role.id,
          pointer: joinPointer(gate.pointer, ...escalation.pointer), origin: 'route',
        });
      }
    }
  }
  return emissions;
}

/** Role ids watching each message type, in declaration order (one lookup instead of a scan of every role). */
export function watchersByType(document: SOP): Map<string, string[]> {
  const watchers = new Map<string, string[]>();
  for (const [roleId, role] of Object.entries(document.roles)) {
    for (const type of new Set(role.watch)) {
      const list = watchers.get(type);
      if (list) list.push(roleId);
      else watchers.set(type, [roleId]);
    }
  }
  return watchers;
}

/**
 * Roles that can ever act: those reached, directly or through other reachable roles, from the
 * start messages (a worklist over emissions, linear in the SOP's size). Without start messages,
 * every emission counts as possible.
 */
export function reachableRoles(document: SOP, emissions: Emission[]): Set<string> {
  const watchers = watchersByType(document);
  const bySender = new Map<string, Emission[]>();
  for (const emission of emissions) {
    const sent = bySender.get(emission.sender);
    if (sent) sent.push(emission);
    else bySender.set(emission.sender, [emission]);
  }

  const seeded = (document.start ?? []).length > 0;
  const queue = emissions.filter((emission) => !seeded || emission.origin === 'start');
  const reached = new Set<string>();
  while (queue.length > 0) {
    const emission = queue.pop()!;
    const receivers = emission.to === undefined ? watchers.get(emission.type) ?? [] : emission.to.filter((roleId) => Object.hasOwn(document.roles, roleId));
    for (const roleId of receivers) {
      if (roleId === emission.sender || reached.has(roleId)) continue;
      reached.add(roleId);
      if (seeded) queue.push(...(bySender.get(roleId) ?? []));
    }
  }
  return reached;
}
