import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/**
 * MESSAGE_TYPE_UNUSED (warning): a type declared under `messages:` that nothing publishes (start
 * message, action output, gate route), no role watches, no action's `when.type` waits for and
 * `stop_when` does not name: it takes no part in any run (often a leftover, or a type meant to be
 * wired up). A type used only one way is MESSAGE_UNPUBLISHED's or MESSAGE_UNWATCHED's. Judged as if
 * misspelled names were fixed: `watch: [Feedbak]` is an error whose hint names `Feedback` already.
 */
export function messageTypeUnused(context: RuleContext): void {
  const { document, emissions, type } = context.fixedFlow();
  const used = new Set(emissions.map((emission) => emission.type));
  for (const role of Object.values(document.roles)) {
    for (const watched of role.watch) used.add(watched);
    for (const action of role.actions) {
      const waited = action.when?.type;
      for (const written of waited === undefined ? [] : typeof waited === 'string' ? [waited] : waited) used.add(type(written));
    }
  }
  for (const condition of context.sop.stopWhen) used.add(type(condition.type));
  for (const declared of Object.keys(document.messages ?? {})) {
    if (used.has(declared)) continue;
    context.sink.warning('MESSAGE_TYPE_UNUSED', joinPointer('/messages', declared), `message type \`${declared}\` is declared but never used: nothing publishes it, no role watches it and \`stop_when\` does not name it`, {
      at: 'key',
      expected: `an action with \`output: { type: ${declared} }\` (or a start message, or a gate's \`route: ${declared}\`) and a role watching \`${declared}\``,
      hint: `remove \`${declared}\` from \`messages:\` if it is left over, or publish it from an action and add it to a role's \`watch\``,
    });
  }
}
