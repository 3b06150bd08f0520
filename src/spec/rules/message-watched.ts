import { watchersByType } from './message-flow.js';
import type { RuleContext } from './rule-context.js';

/**
 * MESSAGE_UNWATCHED (warning): a published type nobody receives (and which does not end the run).
 * Judged as if misspelled names were fixed: `watch: [Draf]` is an error already, and `Draft` is watched.
 */
export function messageWatched(context: RuleContext): void {
  const { document, emissions, type } = context.fixedFlow();
  const stopTypes = new Set(context.sop.stopWhen.map((condition) => type(condition.type)));
  const declared = new Set(Object.keys(document.messages ?? {}));
  const reported = new Set<string>();
  const watchers = watchersByType(document);
  for (const emission of emissions) {
    // Undeclared types are already errors; addressed messages reach their role.
    if (emission.to !== undefined || !declared.has(emission.type) || stopTypes.has(emission.type) || reported.has(emission.type)) continue;
    // The delivery rule for a message addressed to nobody: some role other than its sender watches the type.
    const received = (watchers.get(emission.type) ?? []).some((roleId) => roleId !== emission.sender);
    if (received) continue;
    reported.add(emission.type);
    const by = emission.sender === 'user' ? 'a start message' : `role \`${emission.sender}\``;
    context.sink.warning('MESSAGE_UNWATCHED', emission.pointer, `message type \`${emission.type}\` (published by ${by}) is watched by no other role`, {
      hint: `add \`${emission.type}\` to a role's \`watch\`, address it with \`to\`, or list it in \`stop_when\` if it ends the run`,
    });
  }
}
