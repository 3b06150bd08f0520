import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import type { Message } from './message.js';

/** One received message and the (non-batch) actions it triggers, in declaration order. */
export interface TriggerMatch {
  message: Message;
  actions: ResolvedAction[];
}

/** A batch action and every message of the round that matches it, in delivery order. */
export interface BatchMatch {
  action: ResolvedAction;
  messages: Message[];
}

/** What one role does in a round. */
export interface RoleWork {
  role: ResolvedRole;
  triggers: TriggerMatch[];
  batches: BatchMatch[];
}

export interface MatchRules {
  /** Action ids whose `when.type` was written in the SOP (not defaulted to the role's watch). */
  explicitTypes: ReadonlySet<string>;
  /** Evaluates `when.if` for a message (true when the action has none). */
  condition: (action: ResolvedAction, message: Message) => boolean;
}

/**
 * Does the message trigger the action? Its type must be one of `when.type` (default: the role's
 * watch, plus any type for a message addressed to the role), and `when.if` must hold.
 */
export function actionMatches(action: ResolvedAction, role: ResolvedRole, message: Message, rules: MatchRules): boolean {
  const typeMatches =
    action.whenTypes.includes(message.type) || (message.to === role.id && !rules.explicitTypes.has(action.id));
  return typeMatches && rules.condition(action, message);
}

/**
 * Plans one superstep: for each role with news (in declaration order), which actions each
 * message triggers and which batch actions run. Roles whose news triggers nothing are left out,
 * so an empty plan means the bus is idle.
 */
export function planRound(inboxes: ReadonlyMap<string, Message[]>, roles: readonly ResolvedRole[], rules: MatchRules): RoleWork[] {
  const plan: RoleWork[] = [];
  for (const role of roles) {
    const inbox = inboxes.get(role.id);
    if (!inbox || inbox.length === 0) continue;
    const triggers: TriggerMatch[] = [];
    const batches: BatchMatch[] = [];
    for (const message of inbox) {
      const actions = role.actions.filter((action) => !action.batch && actionMatches(action, role, message, rules));
      if (actions.length > 0) triggers.push({ message, actions });
    }
    for (const action of role.actions) {
      if (!action.batch) continue;
      const messages = inbox.filter((message) => actionMatches(action, role, message, rules));
      if (messages.length > 0) batches.push({ action, messages });
    }
    if (triggers.length > 0 || batches.length > 0) plan.push({ role, triggers, batches });
  }
  return plan;
}
