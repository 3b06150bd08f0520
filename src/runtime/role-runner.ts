import { asRunError } from './run-error.js';
import type { ResolvedAction } from '../spec/resolved.js';
import { runAction, type ActionResult } from './action-runner.js';
import type { Trigger } from './action-context.js';
import type { EventScope } from './event-recorder.js';
import type { Message, PendingMessage } from './message.js';
import { chooseAction, makePlan } from './role-choice.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import type { RoleStop } from './superstep/run-end.js';
import type { RoleWork } from './superstep/plan.js';

/** How a role's turn in a round ended. */
export interface RoleOutcome {
  /** Messages to publish, in publish order. */
  published: PendingMessage[];
  /** Set when the role's turn ended early. */
  stop?: RoleStop;
}

/**
 * One role's turn in a round, in its react mode:
 * - `by_order`: each message in delivery order runs every matching action in declaration order;
 * - `react`: the model picks the next matching action (or `done`) per message, `max_react_loop` at most;
 * - `plan_and_act`: the model plans the steps per message, then they run in order.
 * Batch actions run once after the per-message work, in every mode. `recall` gives the memory an
 * action sees for its trigger.
 */
export async function runRole(state: RunState, events: EventScope, round: number, work: RoleWork, recall: (trigger: Message) => Message[]): Promise<RoleOutcome> {
  const { role } = work;
  const published: PendingMessage[] = [];
  const run = (action: ResolvedAction, trigger: Trigger): Promise<ActionResult> =>
    runAction(state, events, round, role, action, trigger, recall(trigger.message)).then((result) => {
      for (const message of result.published) published.push(message);
      return result;
    });
  try {
    for (const { message, actions } of work.triggers) {
      const trigger: Trigger = { message, batch: undefined };
      if (role.react.mode === 'by_order') {
        for (const action of actions) if ((await run(action, trigger)).outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
      } else if (role.react.mode === 'react') {
        const chosen: string[] = [];
        while (chosen.length < role.react.maxReactLoop) {
          const choice = await chooseAction(state, events, round, role, message, actions, chosen);
          const action = actions.find((candidate) => candidate.id === choice);
          if (!action) break;
          chosen.push(choice);
          if ((await run(action, trigger)).outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
        }
      } else {
        const steps = await makePlan(state, events, round, role, message, actions);
        for (const step of steps) {
          const action = actions.find((candidate) => candidate.id === step);
          if (action && (await run(action, trigger)).outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
        }
      }
    }
    for (const { action, messages } of work.batches) {
      const last = messages[messages.length - 1] as Message;
      if ((await run(action, { message: last, batch: messages })).outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
    }
    return { published };
  } catch (error) {
    if (error instanceof RunHalt) return { published, stop: { reason: error.reason } };
    return { published, stop: { reason: 'failed', error: asRunError(error, `role ${role.id}`) } };
  }
}
