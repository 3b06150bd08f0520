import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/** Exactly one of `prompt` (ask a model) and `run` (run a command) per action. */
export function actionKind(context: RuleContext): void {
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, index) => {
      const pointer = joinPointer('/roles', roleId, 'actions', index);
      if (action.prompt !== undefined && action.run !== undefined) {
        context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'run'), `action \`${action.id}\` has both \`prompt\` and \`run\``, {
          at: 'key',
          expected: 'exactly one of `prompt` (ask a model) and `run` (run a command)',
          hint: 'split it into two actions, or keep only one of them',
        });
      } else if (action.prompt === undefined && action.run === undefined) {
        context.sink.error('SCHEMA_MISSING_FIELD', joinPointer(pointer, 'prompt'), `action \`${action.id}\` has neither \`prompt\` nor \`run\``, {
          expected: 'exactly one of `prompt` (ask a model) and `run` (run a command)',
          hint: 'add `prompt: "..."` or `run: { command: [...] }`',
        });
      }
    });
  }
}
