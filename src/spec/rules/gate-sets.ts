import { joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { Gate } from '../sop.types.generated.js';
import type { RuleContext } from './rule-context.js';

/**
 * GATE_SET_UNKNOWN: `{ use: name }` names a set under the top-level `gates`, stands alone in its
 * entry, and is not written inside a set (sets do not nest: one level keeps the order readable).
 */
export function gateSets(context: RuleContext): void {
  const { document } = context;
  const names = Object.keys(document.gates ?? {});
  const check = (gates: readonly Gate[] | undefined, pointer: string, insideSet: boolean): void => {
    (gates ?? []).forEach((gate, index) => {
      if (gate.use === undefined) return;
      const at = joinPointer(pointer, index, 'use');
      if (insideSet) {
        context.sink.error('GATE_SET_UNKNOWN', at, `a gate set cannot use another set (\`use: ${gate.use}\`)`, {
          at: 'key',
          expected: 'gates with a check (`assert`, `command`, `judge`, ...)',
          hint: `copy the gates of \`${gate.use}\` here, or list both sets in the action: \`gates: [{ use: a }, { use: b }]\``,
        });
      } else if (!names.includes(gate.use)) {
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
    role.actions.forEach((action, actionIndex) => check(action.gates, joinPointer('/roles', roleId, 'actions', actionIndex, 'gates'), false));
  }
  for (const [type, declared] of Object.entries(document.messages ?? {})) check(declared.gates, joinPointer('/messages', type, 'gates'), false);
  for (const [name, gates] of Object.entries(document.gates ?? {})) check(gates, joinPointer('/gates', name), true);
}
