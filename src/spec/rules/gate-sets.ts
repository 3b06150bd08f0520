import { joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { Gate } from '../sop.types.generated.js';
import type { RuleContext } from './rule-context.js';

/**
 * GATE_SET_UNKNOWN: `{ use: name }` names a set under the top-level `gates` and stands alone in its
 * entry. A set may use another set, as a GitHub Actions composite step may use another action;
 * GATE_SET_CYCLE: not one that comes back to it (its gates would have no end).
 */
export function gateSets(context: RuleContext): void {
  const { document } = context;
  const names = Object.keys(document.gates ?? {});
  const check = (gates: readonly Gate[] | undefined, pointer: string): void => {
    (gates ?? []).forEach((gate, index) => {
      if (gate.use === undefined) return;
      const at = joinPointer(pointer, index, 'use');
      if (!names.includes(gate.use)) {
        context.sink.error('GATE_SET_UNKNOWN', at, `\`use: ${gate.use}\` names no gate set`, {
          expected: names.length > 0 ? `a set under the top-level \`gates\`: ${listNames(names)}` : 'a set declared under the top-level `gates:`',
          hint: didYouMean(gate.use, names) ?? `declare it: \`gates: { ${gate.use}: [ { assert: "..." } ] }\` at the top of the SOP`,
        });
      }
      const others = Object.keys(gate).filter((key) => key !== 'use');
      if (others.length > 0) {
        context.sink.error('GATE_SET_UNKNOWN', joinPointer(pointer, index, others[0]!), `\`${others[0]}\` beside \`use: ${gate.use}\``, {
          at: 'key',
          expected: '`use` alone in its entry: the set\'s gates take its place',
          hint: 'write this check as a gate of its own in the list, or in the set',
        });
      }
    });
  };
  for (const [roleId, role] of Object.entries(document.roles)) {
    role.actions.forEach((action, actionIndex) => check(action.gates, joinPointer('/roles', roleId, 'actions', actionIndex, 'gates')));
  }
  for (const [type, declared] of Object.entries(document.messages ?? {})) check(declared.gates, joinPointer('/messages', type, 'gates'));
  for (const [name, gates] of Object.entries(document.gates ?? {})) check(gates, joinPointer('/gates', name));
  setCycles(context);
}

/**
 * GATE_SET_CYCLE, at each `use` that leads back to a set it is inside of (`a` uses `b`, `b` uses
 * `a`): one error per such `use`, naming the whole loop.
 */
function setCycles(context: RuleContext): void {
  const sets = context.document.gates ?? {};
  const done = new Set<string>();
  const visit = (name: string, path: readonly string[]): void => {
    if (done.has(name)) return;
    (sets[name] ?? []).forEach((gate, index) => {
      if (gate.use === undefined || !Object.hasOwn(sets, gate.use)) return;
      const start = path.indexOf(gate.use);
      if (gate.use === name || start >= 0) {
        const loop = [...(gate.use === name ? [name] : path.slice(start)), ...(gate.use === name ? [] : [name]), gate.use];
        context.sink.error('GATE_SET_CYCLE', joinPointer('/gates', name, index, 'use'), `gate set \`${gate.use}\` uses itself: ${loop.join(' -> ')}`, {
          expected: 'sets that use other sets without coming back to one they are used by',
          hint: `remove \`use: ${gate.use}\` from set \`${name}\` (list the gates it needs there instead)`,
        });
        return;
      }
      visit(gate.use, [...path, name]);
    });
    done.add(name);
  };
  for (const name of Object.keys(sets)) visit(name, []);
}
