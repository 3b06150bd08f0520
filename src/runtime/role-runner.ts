import { asRunError } from './run-error.js';
import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import { runAction, type ActionResult } from './action-runner.js';
import type { Trigger } from './action-context.js';
import type { EventScope } from './event-recorder.js';
import type { Message, PendingMessage } from './message.js';
import { chooseAction, makePlan } from './role-choice.js';
import { awaitsApproval, RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import type { RoleStop } from './superstep/run-end.js';
import type { RoleWork } from './superstep/plan.js';

/** The memory a role's action sees for its trigger (one function for the run, not one per role). */
export type Recall = (role: ResolvedRole, trigger: Message) => Message[];

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
export function runRole(state: RunState, events: EventScope, round: number, work: RoleWork, recall: Recall): Promise<RoleOutcome> {
  return work.role.react.mode === 'by_order' ? runInOrder(state, events, round, work, recall) : runChoosing(state, events, round, work, recall);
}

/**
 * `by_order`: each step (a message and a matching action, then the batch actions) after the one
 * before, as a promise chain: no suspended frame per role in flight (a wide round holds a thousand).
 * A step halted at a human gate skips its message's later actions and the batch actions (they may
 * read the awaited output's files), but the next messages' actions still run to their own gates,
 * so the stop lists every approval the round awaits and one resume decides them all.
 */
function runInOrder(state: RunState, events: EventScope, round: number, work: RoleWork, recall: Recall): Promise<RoleOutcome> {
  const { role } = work;
  const only = work.batches.length === 0 && work.triggers.length === 1 ? work.triggers[0] : undefined;
  if (only && only.actions.length === 1) return runOnly(state, events, round, role, only.actions[0] as ResolvedAction, only.message, recall);
  const published: PendingMessage[] = [];
  const steps: Array<{ action: ResolvedAction; trigger: Trigger }> = [];
  /** Per message step: the first step of the next trigger message, where a halt at a human gate goes on. */
  const nextMessageStep: number[] = [];
  for (const { message, actions } of work.triggers) {
    const trigger: Trigger = { message, batch: undefined };
    for (const action of actions) steps.push({ action, trigger });
    while (nextMessageStep.length < steps.length) nextMessageStep.push(steps.length);
  }
  const messageSteps = steps.length;
  for (const { action, messages } of work.batches) steps.push({ action, trigger: { message: messages[messages.length - 1] as Message, batch: messages } });
  let awaiting: RunHalt | undefined;
  const step = (index: number): Promise<RoleOutcome> => {
    const next = steps[index];
    if (!next) return Promise.resolve({ published });
    let running: Promise<ActionResult>;
    try {
      running = runAction(state, events, round, role, next.action, next.trigger, recall(role, next.trigger.message));
    } catch (error) {
      return Promise.reject(error);
    }
    return running.then(
      (result) => {
        for (const message of result.published) published.push(message);
        if (result.outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
        if (awaiting && index + 1 >= messageSteps) return roleStopped(role.id, published, awaiting);
        // The last step answers with the outcome itself: a promise returned here costs two more turns.
        return index + 1 < steps.length ? step(index + 1) : { published };
      },
      (error: unknown) => {
        if (!awaitsApproval(error)) throw error;
        awaiting ??= error;
        const goOnAt = nextMessageStep[index];
        if (goOnAt === undefined || goOnAt >= messageSteps) throw awaiting;
        return step(goOnAt);
      },
    );
  };
  return step(0).catch((error: unknown) => roleStopped(role.id, published, error));
}

/**
 * A turn of one message and one action (each role of a wide fan-out): its result is the outcome,
 * with no list of steps, no array copied and one promise fewer.
 */
function runOnly(state: RunState, events: EventScope, round: number, role: ResolvedRole, action: ResolvedAction, message: Message, recall: Recall): Promise<RoleOutcome> {
  let running: Promise<ActionResult>;
  try {
    running = runAction(state, events, round, role, action, { message, batch: undefined }, recall(role, message));
  } catch (error) {
    return Promise.resolve(roleStopped(role.id, [], error));
  }
  return running.then(onlyOutcome, (error: unknown) => roleStopped(role.id, [], error));
}

/** The outcome of a turn of one action run (one function for every role: no closure per role). */
function onlyOutcome(result: ActionResult): RoleOutcome {
  return result.outcome === 'gate-stopped' ? { published: result.published, stop: { reason: 'gate' } } : { published: result.published };
}

/**
 * `react` and `plan_and_act`: the model chooses each next step. A halt at a human gate goes on
 * with the next message, as in `by_order`.
 */
async function runChoosing(state: RunState, events: EventScope, round: number, work: RoleWork, recall: Recall): Promise<RoleOutcome> {
  const { role } = work;
  const published: PendingMessage[] = [];
  const run = (action: ResolvedAction, trigger: Trigger): Promise<ActionResult> =>
    runAction(state, events, round, role, action, trigger, recall(role, trigger.message)).then((result) => {
      for (const message of result.published) published.push(message);
      return result;
    });
  let awaiting: RunHalt | undefined;
  try {
    for (const { message, actions } of work.triggers) {
      try {
        if ((await runChosenSteps(state, events, round, role, message, actions, run)) === 'gate-stopped') return { published, stop: { reason: 'gate' } };
      } catch (error) {
        if (!awaitsApproval(error)) throw error;
        awaiting ??= error;
      }
    }
    if (awaiting) return roleStopped(role.id, published, awaiting);
    for (const { action, messages } of work.batches) {
      const last = messages[messages.length - 1] as Message;
      if ((await run(action, { message: last, batch: messages })).outcome === 'gate-stopped') return { published, stop: { reason: 'gate' } };
    }
    return { published };
  } catch (error) {
    return roleStopped(role.id, published, error);
  }
}

/** One message's steps, chosen by the model (`react`) or planned (`plan_and_act`); `gate-stopped` when a gate stopped the run. */
async function runChosenSteps(
  state: RunState,
  events: EventScope,
  round: number,
  role: ResolvedRole,
  message: Message,
  actions: ResolvedAction[],
  run: (action: ResolvedAction, trigger: Trigger) => Promise<ActionResult>,
): Promise<'gate-stopped' | undefined> {
  const trigger: Trigger = { message, batch: undefined };
  if (role.react.mode === 'react') {
    const chosen: string[] = [];
    while (chosen.length < role.react.maxReactLoop) {
      const choice = await chooseAction(state, events, round, role, message, actions, chosen);
      const action = actions.find((candidate) => candidate.id === choice);
      if (!action) return undefined;
      chosen.push(choice);
      if ((await run(action, trigger)).outcome === 'gate-stopped') return 'gate-stopped';
    }
    return undefined;
  }
  for (const step of await makePlan(state, events, round, role, message, actions)) {
    const action = actions.find((candidate) => candidate.id === step);
    if (action && (await run(action, trigger)).outcome === 'gate-stopped') return 'gate-stopped';
  }
  return undefined;
}

/** A turn ended by a halt (budget, interrupt, approval awaited) or a failure, with what it published before. */
function roleStopped(roleId: string, published: PendingMessage[], error: unknown): RoleOutcome {
  if (error instanceof RunHalt) return { published, stop: error.error ? { reason: error.reason, error: error.error } : { reason: error.reason } };
  return { published, stop: { reason: 'failed', error: asRunError(error, `role ${roleId}`) } };
}
