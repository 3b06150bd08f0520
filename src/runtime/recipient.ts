import { SopError } from '../errors/index.js';
import type { ResolvedAction } from '../spec/resolved.js';
import type { RunState } from './run-state.js';

/**
 * Whom an accepted output is addressed to: its `to` role, the role its dynamic `to` renders to
 * (over the artifact context: `message`, `payload`, `output`, ...), or nobody (delivered by type).
 * The context is built only for a dynamic `to` (most outputs have none: a wide fan-out's thousand).
 * A rendered value that names no role fails the action: delivering it by type instead would hand
 * the work to whoever watches it.
 */
export function recipientOf(state: RunState, action: ResolvedAction, context: Record<string, unknown>, output: string, payload: unknown): string | null {
  if (action.output.toTemplate === undefined) return action.output.to ?? null;
  const value = state.compiled.render(action.output.toTemplate, { ...context, output, payload }).trim();
  const roles = state.sop.roles.map((role) => role.id);
  if (roles.includes(value)) return value;
  const { origin } = action.output.toTemplate;
  throw new SopError(
    'ADDRESS_UNRESOLVED',
    `${origin.file}:${origin.line}:${origin.column}: role ${action.roleId}, action ${action.id}: \`to: ${action.output.toTemplate.text.trim()}\` rendered to ${JSON.stringify(value)}, which names no role (roles: ${roles.join(', ')})`,
    { hint: 'make the value one of the roles; an `enum` of role ids on the payload field lets `sop validate` check it before the run' },
  );
}
