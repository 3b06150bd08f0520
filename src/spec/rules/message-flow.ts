import { joinPointer } from '../pointer.js';
import type { SOP } from '../sop.types.generated.js';

/** A message the SOP can publish: a start message, an action's output, or a gate's `on_fail.route`. */
export interface Emission {
  type: string;
  to: string | undefined;
  /** Role id of the publisher, or `user` for start messages. */
  sender: string;
  /** Where the type is named. */
  pointer: string;
  origin: 'start' | 'output' | 'route';
}

export function emissionsOf(document: SOP): Emission[] {
  const emissions: Emission[] = [];
  (document.start ?? []).forEach((message, index) => {
    emissions.push({ type: message.type, to: message.to, sender: 'user', pointer: joinPointer('/start', index, 'type'), origin: 'start' });
  });
  for (const [roleId, role] of Object.entries(document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      const pointer = joinPointer('/roles', roleId, 'actions', actionIndex);
      emissions.push({ type: action.output.type, to: action.output.to, sender: roleId, pointer: joinPointer(pointer, 'output', 'type'), origin: 'output' });
      (action.gates ?? []).forEach((gate, gateIndex) => {
        if (!gate.on_fail || typeof gate.on_fail !== 'object' || gate.on_fail.route === undefined) return;
        emissions.push({
          type: gate.on_fail.route, to: undefined, sender: roleId,
          pointer: joinPointer(pointer, 'gates', gateIndex, 'on_fail', 'route'), origin: 'route',
        });
      });
    });
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
  for (const emission of emissions) bySender.set(emission.sender, [...(bySender.get(emission.sender) ?? []), emission]);

  const seeded = (document.start ?? []).length > 0;
  const queue = emissions.filter((emission) => !seeded || emission.origin === 'start');
  const reached = new Set<string>();
  while (queue.length > 0) {
    const emission = queue.pop()!;
    const receivers = emission.to === undefined ? watchers.get(emission.type) ?? [] : Object.hasOwn(document.roles, emission.to) ? [emission.to] : [];
    for (const roleId of receivers) {
      if (roleId === emission.sender || reached.has(roleId)) continue;
      reached.add(roleId);
      if (seeded) queue.push(...(bySender.get(roleId) ?? []));
    }
  }
  return reached;
}
