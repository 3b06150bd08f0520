import type { ResolvedAction, ResolvedRole } from '../../spec/resolved.js';
import type { Message } from '../message.js';
import type { SopIndex } from './sop-index.js';

/** One received message and the (non-batch) actions it triggers, in declaration order. */
interface TriggerMatch {
  message: Message;
  actions: ResolvedAction[];
}

/** A batch action and every message of the round that matches it, in delivery order. */
interface BatchMatch {
  action: ResolvedAction;
  messages: Message[];
}

/** What one role does in a round. */
export interface RoleWork {
  role: ResolvedRole;
  triggers: TriggerMatch[];
  batches: BatchMatch[];
}

/** Evaluates `when.if` for a message (true when the action has none). */
export type ActionCondition = (action: ResolvedAction, message: Message) => boolean;

/**
 * Does the message trigger the action? Its type must be one of `when.type` (default: the role's
 * watch, plus any type for a message addressed to the role), and `when.if` must hold.
 */
function actionMatches(action: ResolvedAction, role: ResolvedRole, message: Message, index: SopIndex, condition: ActionCondition): boolean {
  const typeMatches = action.whenTypes.includes(message.type) || (message.to === role.id && !index.explicitTypes.has(action.id));
  return typeMatches && condition(action, message);
}

/**
 * Plans one superstep: for each role with news (in declaration order), which actions each
 * message triggers and which batch actions run. Roles whose news triggers nothing are left out,
 * so an empty plan means the bus is idle. Only roles with news are visited.
 */
export function planRound(inboxes: ReadonlyMap<string, Message[]>, index: SopIndex, condition: ActionCondition): RoleWork[] {
  const plan: RoleWork[] = [];
  for (const roleId of inDeclarationOrder(inboxes, index)) {
    const role = index.roles.get(roleId);
    const inbox = inboxes.get(roleId) ?? [];
    if (!role || inbox.length === 0) continue;
    const triggers: TriggerMatch[] = [];
    const batches: BatchMatch[] = [];
    for (const message of inbox) {
      const actions = triggeredActions(role, message, index, condition);
      if (actions.length > 0) triggers.push({ message, actions });
    }
    for (const action of role.actions) {
      if (!action.batch) continue;
      const messages = inbox.filter((message) => actionMatches(action, role, message, index, condition));
      if (messages.length > 0) batches.push({ action, messages });
    }
    if (triggers.length > 0 || batches.length > 0) plan.push({ role, triggers, batches });
  }
  return plan;
}

/**
 * The roles with news in declaration order. Delivery fills the inboxes in that order for a round's
 * first message (its watchers' list), so a wide round's thousand ids are checked, not sorted.
 */
function inDeclarationOrder(inboxes: ReadonlyMap<string, Message[]>, index: SopIndex): string[] {
  const roleIds = [...inboxes.keys()];
  const position = (id: string): number => index.order.get(id) ?? 0;
  let last = -1;
  for (const id of roleIds) {
    const next = position(id);
    if (next < last) return roleIds.sort((a, b) => position(a) - position(b));
    last = next;
  }
  return roleIds;
}

/** The non-batch actions a message triggers, in declaration order (no closure per role and message). */
function triggeredActions(role: ResolvedRole, message: Message, index: SopIndex, condition: ActionCondition): ResolvedAction[] {
  const actions: ResolvedAction[] = [];
  for (const action of role.actions) if (!action.batch && actionMatches(action, role, message, index, condition)) actions.push(action);
  return actions;
}
