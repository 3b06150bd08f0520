import type { ResolvedRole } from '../spec/resolved.js';
import { messageView, type Message } from './message.js';
import type { Thread } from './superstep/threads.js';
import type { RunState } from './run-state.js';
import { markShared } from './shared-views.js';

/** What triggered one action run: a message, or (batch) all matching messages of the round. */
export interface Trigger {
  /** The message (the last one for a batch). */
  message: Message;
  /** Every matching message, for batch actions. */
  batch: Message[] | undefined;
}

/** How many times the role has acted in this run, this action run included (`role.turn`). */
function roleTurn(state: RunState, role: ResolvedRole): number {
  // A loop, not `reduce` with a closure: this runs as each of a wide round's calls starts.
  let turns = 0;
  for (const action of role.actions) turns += state.actionRuns.get(action.id) ?? 0;
  return turns;
}

/** `run` as templates see it. */
export function runView(state: RunState, round: number): Record<string, unknown> {
  return { id: state.runId, round, sop: state.sop.name, workspace: state.workspace.root };
}

/**
 * The roots every action template sees (`inputs run role message memory`, plus `messages` for a
 * batch). Later stages add `item index`, `files`, `feedback`, `output`, `payload` as contexts.ts
 * says; the process environment is never among them.
 */
export function baseContext(state: RunState, role: ResolvedRole, trigger: Trigger, memory: Message[], round: number): Record<string, unknown> {
  const context: Record<string, unknown> = {
    inputs: state.inputs,
    run: roundView(state, round),
    role: { id: role.id, profile: role.profile, goal: role.goal, constraints: role.constraints, turn: roleTurn(state, role) },
    message: sharedView(trigger.message, state.threads),
    memory: memory.length === 0 ? NO_MEMORY : memory.map((remembered) => sharedView(remembered, state.threads)),
  };
  if (trigger.batch) context['messages'] = trigger.batch.map((matching) => sharedView(matching, state.threads));
  return context;
}

/*
 * Views shared by every action run that sees them (templates and expressions only read them): a
 * 1 -> 1000 fan-out's reviewers all see the same draft, once instead of a thousand copies in flight.
 */
const NO_MEMORY: readonly unknown[] = Object.freeze([]);
const views = new WeakMap<Message, Record<string, unknown>>();
const roundViews = new WeakMap<RunState, { round: number; view: Record<string, unknown> }>();

/** A delivered message's view (its thread is set once it is committed, so the view never changes); made afresh before that. */
function sharedView(message: Message, threads: ReadonlyMap<string, Thread>): Record<string, unknown> {
  let view = views.get(message);
  if (!view) {
    view = messageView(message, threads);
    if (threads.has(message.id)) {
      views.set(message, view);
      markShared(view);
    }
  }
  return view;
}

/** `run` for this round, one per round. */
function roundView(state: RunState, round: number): Record<string, unknown> {
  const kept = roundViews.get(state);
  if (kept && kept.round === round) return kept.view;
  const view = runView(state, round);
  roundViews.set(state, { round, view });
  return view;
}

/** Roots of a condition on a message (`when.if`, `stop_when.if`): its fields, `message`, `inputs`. */
export function conditionContext(message: Message, inputs: Record<string, unknown>, threads: ReadonlyMap<string, Thread>): Record<string, unknown> {
  const view = messageView(message, threads);
  return { ...view, message: view, inputs };
}
