import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/** An artifact's content comes from `content` or from a `template` file, not both. */
export function artifactContent(context: RuleContext): void {
  for (const [roleId, role] of Object.entries(context.document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      (action.artifacts ?? []).forEach((artifact, index) => {
        if (artifact.content === undefined || artifact.template === undefined) return;
        context.sink.error('SCHEMA_VIOLATION', joinPointer('/roles', roleId, 'actions', actionIndex, 'artifacts', index, 'template'),
          `artifact \`${artifact.path}\` has both \`content\` and \`template\``, {
            at: 'key',
            expected: 'at most one of `content` (inline) and `template` (a file)',
            hint: 'keep one; without either the file gets the output as is',
          });
      });
    });
  }
}
