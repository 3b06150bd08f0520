import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';
import { listNames } from '../suggest.js';

/**
 * WHEN_TYPE_UNWATCHED (warning): an action's `when.type` names a type that never reaches its role (the
 * role does not watch it and no message of it is addressed to the role), so that trigger never fires.
 * Judged as if misspelled names were fixed: `when: { type: Draf }` is an error already.
 */
export function whenTypes(context: RuleContext): void {
  const { document, emissions, type: fixed } = context.fixedFlow();
  // `${roleId}\0${type}` of every addressed emission: one lookup per `when.type`, not a scan of all emissions.
  let addressed: Set<string> | undefined;
  const addressedTo = (roleId: string, type: string): boolean =>
    (addressed ??= new Set(emissions.flatMap((emission) => (emission.to ?? []).map((to) => `${to}\0${emission.type}`)))).has(`${roleId}\0${type}`);
  for (const [roleId, role] of Object.entries(document.roles)) {
    const watched = new Set(role.watch);
    role.actions.forEach((action, index) => {
      const written = action.when?.type;
      if (written === undefined) return;
      const pointer = joinPointer('/roles', roleId, 'actions', index, 'when', 'type');
      const entries: Array<[string, string]> = typeof written === 'string' ? [[fixed(written), pointer]] : written.map((type, at) => [fixed(type), joinPointer(pointer, at)]);
      for (const [type, at] of entries) {
        if (watched.has(type) || addressedTo(roleId, type)) continue;
        context.sink.warning('WHEN_TYPE_UNWATCHED', at, `action \`${action.id}\` waits for \`${type}\`, which never reaches role \`${roleId}\`: the role does not watch it and no \`${type}\` is addressed to it`, {
          expected: `a type in \`${roleId}\`'s watch: ${listNames(role.watch.map((name) => `\`${name}\``))}`,
          hint: `add \`${type}\` to \`${roleId}\`'s \`watch\`, or address it to \`${roleId}\` with \`to\``,
        });
      }
    });
  }
}
