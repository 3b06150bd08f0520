import { declaredGates, escalationOf } from '../gate-places.js';
import { messageTypeForId } from '../foreign-names.js';
import { joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

/** Every place a message type is named: watch, when.type, output.type, start, stop_when, on_fail.route and on_fail.then.route. */
function messageTypeReferences(context: RuleContext): Array<{ type: string; pointer: string }> {
  const { document } = context;
  const references: Array<{ type: string; pointer: string }> = [];
  const add = (type: unknown, pointer: string): void => {
    if (typeof type === 'string') references.push({ type, pointer });
  };
  (document.start ?? []).forEach((message, index) => add(message.type, joinPointer('/start', index, 'type')));
  for (const [roleId, role] of Object.entries(document.roles)) {
    const rolePointer = joinPointer('/roles', roleId);
    role.watch.forEach((type, index) => add(type, joinPointer(rolePointer, 'watch', index)));
    role.actions.forEach((action, actionIndex) => {
      const pointer = joinPointer(rolePointer, 'actions', actionIndex);
      const whenType = action.when?.type;
      if (typeof whenType === 'string') add(whenType, joinPointer(pointer, 'when', 'type'));
      else whenType?.forEach((type, index) => add(type, joinPointer(pointer, 'when', 'type', index)));
      add(action.output.type, joinPointer(pointer, 'output', 'type'));
    });
  }
  for (const { gate, pointer } of declaredGates(document)) {
    const escalation = escalationOf(gate.on_fail);
    if (escalation) add(escalation.route, joinPointer(pointer, ...escalation.pointer));
  }
  const stopWhen = document.stop_when;
  if (Array.isArray(stopWhen)) stopWhen.forEach((condition, index) => add(condition.type, joinPointer('/stop_when', index, 'type')));
  else if (stopWhen) add(stopWhen.type, '/stop_when/type');
  return references;
}

/** MESSAGE_TYPE_UNDECLARED: a message type is used but not declared under `messages`. */
export function messageTypesDeclared(context: RuleContext): void {
  const declared = Object.keys(context.document.messages ?? {});
  const known = new Set(declared); // a Set: a 10,000-role SOP makes 20,000 references to 10,000 types
  for (const { type, pointer } of messageTypeReferences(context)) {
    if (known.has(type)) continue;
    context.sink.error('MESSAGE_TYPE_UNDECLARED', pointer, `message type \`${type}\` is not declared`, {
      expected: `declared: ${listNames(declared)}`,
      hint: meantById(type, pointer, context) ?? didYouMean(type, declared) ?? `declare it under \`messages:\` (e.g. \`${type}: { description: ... }\`)`,
    });
  }
}

/**
 * `watch: [WritePost]` for the action `write_post`: the type it outputs. An exact name (but for case
 * and underscores) says more than a near type (`Editor` is the role `editor`, not a typo of `Edited`).
 * Not at an output's `type`, where a type is declared by being written.
 */
function meantById(type: string, pointer: string, context: RuleContext): string | undefined {
  return pointer.endsWith('/output/type') ? undefined : messageTypeForId(type, context.document)?.hint;
}
