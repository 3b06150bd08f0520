import { declaredGates } from '../gate-places.js';
import { joinPointer } from '../pointer.js';
import { gateKinds } from '../resolve-action.js';
import type { RuleContext } from './rule-context.js';

/** Exactly one kind of check per gate: `assert` (or a shorthand: `length`, `matches`, `contains`), `command`, `judge` or `human`. */
export function gateKind(context: RuleContext): void {
  for (const { gate, pointer, owner, index } of declaredGates(context.document)) {
    const kinds = gateKinds(gate);
    // By its name when it has one: "gate 0" read as a count, and the first gate is not the zeroth to a reader.
    const gateIndex = typeof gate.name === 'string' && gate.name !== '' ? `\`${gate.name}\`` : String(index + 1);
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
