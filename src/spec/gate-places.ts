import { joinPointer } from './pointer.js';
import type { Action, Gate, SOP } from './sop.types.generated.js';

/** A gate as written, with the pointer of where it is written. */
export interface PlacedGate {
  gate: Gate;
  pointer: string;
}

/** Where a gate is written, in words for messages: `action \`draft\``, `gate set \`review\``, `message type \`Draft\``. */
export interface OwnedGate extends PlacedGate {
  owner: string;
  index: number;
}

/**
 * Every gate written in the SOP: in actions, in the top-level gate sets and on message types. A
 * `{ use: name }` entry is a reference, not a gate: it is left out (rules check it on its own).
 */
export function declaredGates(document: SOP): OwnedGate[] {
  const found: OwnedGate[] = [];
  const add = (gates: readonly Gate[] | undefined, owner: string, pointer: string): void => {
    (gates ?? []).forEach((gate, index) => {
      if (gate.use === undefined) found.push({ gate, pointer: joinPointer(pointer, index), owner, index });
    });
  };
  for (const [roleId, role] of Object.entries(document.roles)) {
    role.actions.forEach((action, actionIndex) => add(action.gates, `action \`${action.id}\``, joinPointer('/roles', roleId, 'actions', actionIndex, 'gates')));
  }
  for (const [name, gates] of Object.entries(document.gates ?? {})) add(gates, `gate set \`${name}\``, joinPointer('/gates', name));
  for (const [type, declared] of Object.entries(document.messages ?? {})) add(declared.gates, `message type \`${type}\``, joinPointer('/messages', type, 'gates'));
  return found;
}

/**
 * The gates an action must pass, in order: its own, each `{ use: name }` replaced by the gates of
 * that set (a set's own `use` entries replaced the same way, in place), then those of its output's
 * message type, so every publisher of a type passes the type's gates (a revise path publishing the
 * same type cannot skip them). A `use` naming no set adds nothing (`sop validate` refuses it:
 * GATE_SET_UNKNOWN), nor one that comes back to a set being expanded (GATE_SET_CYCLE). A gate
 * reached again (a set used on two paths, by the action and by its type) is checked once, at its
 * first place: it is the same gate, and running its command or judge twice only costs.
 */
export function actionGates(document: SOP, action: Action, actionPointer: string): PlacedGate[] {
  const gates: PlacedGate[] = [];
  (action.gates ?? []).forEach((gate, index) => {
    if (gate.use === undefined) gates.push({ gate, pointer: joinPointer(actionPointer, 'gates', index) });
    else gates.push(...setGates(document, gate.use));
  });
  const typeGates = document.messages?.[action.output.type]?.gates ?? [];
  typeGates.forEach((gate, index) => {
    if (gate.use === undefined) gates.push({ gate, pointer: joinPointer('/messages', action.output.type, 'gates', index) });
    else gates.push(...setGates(document, gate.use));
  });
  // A gate is where it is written: the same pointer reached twice is one gate.
  const seen = new Set<string>();
  return gates.filter(({ pointer }) => !seen.has(pointer) && Boolean(seen.add(pointer)));
}

/**
 * A set's gates, the sets it uses expanded in place, as a GitHub Actions composite step may use
 * another. `expanding`: the sets this one is inside of; a set among them adds nothing (a cycle,
 * which `sop validate` refuses), so expanding always ends.
 */
function setGates(document: SOP, name: string, expanding: ReadonlySet<string> = new Set()): PlacedGate[] {
  if (expanding.has(name)) return [];
  const set = Object.hasOwn(document.gates ?? {}, name) ? document.gates![name]! : [];
  const inside = new Set([...expanding, name]);
  return set.flatMap((gate, index) => (gate.use === undefined ? [{ gate, pointer: joinPointer('/gates', name, index) }] : setGates(document, gate.use, inside)));
}

/**
 * Where a failing gate sends the work once its revisions are spent (or at once without `revise`):
 * `on_fail: { route }` or the escalation `then: { route, to }`; undefined when it stops or warns.
 */
export function escalationOf(onFail: Gate['on_fail']): { route: string; to: string | undefined; pointer: string[] } | undefined {
  if (onFail === undefined || typeof onFail !== 'object') return undefined;
  if (onFail.route !== undefined) return { route: onFail.route, to: undefined, pointer: ['on_fail', 'route'] };
  const then = onFail.then;
  if (then !== undefined && typeof then === 'object') return { route: then.route, to: then.to, pointer: ['on_fail', 'then', 'route'] };
  return undefined;
}
