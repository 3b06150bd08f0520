import { joinPointer } from '../pointer.js';
import { emissionsOf } from './message-flow.js';
import type { RuleContext } from './rule-context.js';
import { listNames } from '../suggest.js';
import { withTyposFixed } from './typo-fixes.js';

/**
 * WHEN_TYPE_UNWATCHED (warning): an action's `when.type` names a type that never reaches its role (the
 * role does not watch it and no message of it is addressed to the role), so that trigger never fires.
 * Judged as if misspelled names were fixed: `when: { type: Draf }` is an error already.
 */
export function whenTypes(context: RuleContext): void {
  const { document, emissions, type: fixed } = withTyposFixed(context.document, emissionsOf(context.sop));
  for (const [roleId, role] of Object.entries(document.roles)) {
    const watched = new Set(role.watch);
    role.actions.forEach((action, index) => {
      const written = action.when?.type;
      if (written === undefined) return;
      const pointer = joinPointer('/roles', roleId, 'actions', index, 'when', 'type');
      const entries: Array<[string, string]> = typeof written === 'string' ? [[fixed(written), pointer]] : written.map((type, at) => [fixed(type), joinPointer(pointer, at)]);
      for (const [type, at] of entries) {
        if (watched.has(type) || emissions.some((emission) => emission.type === type && emission.to?.includes(roleId) === true)) continue;
        context.sink.warning('WHEN_TYPE_UNWATCHED', at, `action \`${action.id}\` waits for \`${type}\`, which never reaches role \`${roleId}\`: the role does not watch it and no \`${type}\` is addressed to it`, {
          expected: `a type in \`${roleId}\`'s watch: ${listNames(role.watch.map((name) => `\`${name}\``))}`,
          hint: `add \`${type}\` to \`${roleId}\`'s \`watch\`, or address it to \`${roleId}\` with \`to\``,
        });
      }
    });
  }
}
