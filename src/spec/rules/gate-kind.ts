import { declaredGates } from '../gate-places.js';
import { joinPointer } from '../pointer.js';
import { gateKinds } from '../resolve-action.js';
import type { RuleContext } from './rule-context.js';

/** Exactly one kind of check per gate: `assert` (or a shorthand: `length`, `matches`, `contains`), `command`, `judge` or `human`. */
export function gateKind(context: RuleContext): void {
  for (const { gate, pointer, owner, index: gateIndex } of declaredGates(context.document)) {
    const kinds = gateKinds(gate);
    if (kinds.length === 0) {
      context.sink.error('SCHEMA_MISSING_FIELD', joinPointer(pointer, 'assert'), `gate ${gateIndex} of ${owner} checks nothing`, {
        expected: 'exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human`',
        hint: 'e.g. `assert: "size(output) > 0"` or `judge: { rubric: "..." }`',
      });
    } else if (kinds.length > 1) {
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, kinds[1]!), `gate ${gateIndex} of ${owner} has ${kinds.map((kind) => `\`${kind}\``).join(' and ')}`, {
        at: 'key',
        expected: 'exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human` per gate',
        hint: 'write one gate per check; gates run in order and the first failing one decides',
      });
    }
  }
}
