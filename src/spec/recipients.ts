import type { ResolvedAction, ResolvedSop } from './resolved.js';

/** Where the roles a dynamic `to` can name come from. */
export interface RecipientCandidates {
  /** Role ids (or other values) the `to` template can render to. */
  values: string[];
  /** `enum`: the enum of the output's payload field it reads; `senders`: `{{ message.from }}`, the roles that publish the trigger types. */
  source: 'enum' | 'senders';
  /** The payload field as the template reads it (`payload.assignee`), for `enum`. */
  field?: string;
}

const PAYLOAD_FIELD = /^\{\{\s*(message\.)?payload\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const MESSAGE_FROM = /^\{\{\s*message\.from\s*\}\}$/;

/**
 * The values a dynamic `to` (`output.to` written as a template) can render to, when the SOP says:
 * `{{ payload.field }}` over an output type whose schema gives the field an `enum` of strings (or
 * `{{ message.payload.field }}` over trigger types that all do), or
 * `{{ message.from }}` (the roles publishing a type that triggers the action). Undefined when
 * only the run can tell (any other template): then it is checked when the message is published.
 */
export function recipientCandidates(sop: ResolvedSop, action: ResolvedAction): RecipientCandidates | undefined {
  const template = action.output.toTemplate?.text.trim();
  if (template === undefined) return undefined;
  const read = PAYLOAD_FIELD.exec(template);
  if (read) {
    // `payload.x` is the output's; `message.payload.x` the trigger's (each type the action's `when` names).
    const field = read[2]!;
    const types = read[1] ? action.whenTypes : [action.output.type];
    const enums = types.map((type) => (sop.messages[type]?.schema?.['properties'] as Record<string, { enum?: unknown[] }> | undefined)?.[field]?.enum);
    if (types.length === 0 || !enums.every((values) => Array.isArray(values) && values.every((value) => typeof value === 'string'))) return undefined;
    return { values: [...new Set(enums.flat() as string[])], source: 'enum', field: `${read[1] ?? ''}payload.${field}` };
  }
  if (MESSAGE_FROM.test(template)) {
    const triggers = new Set([...action.whenTypes, ...typesAddressedTo(sop, action.roleId)]);
    const senders = sop.roles.filter((role) => role.actions.some((other) => triggers.has(other.output.type))).map((role) => role.id);
    return { values: senders, source: 'senders' };
  }
  return undefined;
}

/** Types written (or enum-chosen) to reach `roleId` with `to`: a role watching nothing still hears them. */
function typesAddressedTo(sop: ResolvedSop, roleId: string): string[] {
  const types: string[] = [];
  for (const role of sop.roles) {
    for (const action of role.actions) {
      const candidates = action.output.toTemplate && !MESSAGE_FROM.test(action.output.toTemplate.text.trim()) ? recipientCandidates(sop, action)?.values : undefined;
      if (action.output.to === roleId || candidates?.includes(roleId)) types.push(action.output.type);
    }
  }
  for (const start of sop.start) if (start.to === roleId) types.push(start.type);
  return types;
}

/**
 * The roles an action's output can be addressed to: its `to` role, the candidates of a dynamic
 * `to` that are roles (every role but the sender when unknown), or undefined: delivered by type.
 */
export function addresseesOf(sop: ResolvedSop, action: ResolvedAction): string[] | undefined {
  if (action.output.to !== undefined) return [action.output.to];
  if (action.output.toTemplate === undefined) return undefined;
  const roleIds = sop.roles.map((role) => role.id);
  const candidates = recipientCandidates(sop, action);
  const possible = candidates ? candidates.values.filter((value) => roleIds.includes(value)) : roleIds;
  return possible.filter((roleId) => roleId !== action.roleId);
}
