import type { SopError } from '../errors/index.js';
import { asRunError } from './run-error.js';
import { conditionContext, runView } from './action-context.js';
import type { EventScope } from './event-recorder.js';
import type { RunRecord } from './run-record.js';
import { memoryView } from './memory.js';
import type { Message, PendingMessage } from './message.js';
import { runRole, type Recall } from './role-runner.js';
import { takeLedgerPatch, type RunState } from './run-state.js';
import { renderStartMessages } from './start-messages.js';
import type { RunStatus } from './status.js';
import { deliver, type DeliveryResult } from './superstep/delivery.js';
import type { RoleStop } from './superstep/run-end.js';
import { planRound, type ActionCondition } from './superstep/plan.js';
import { endAfterRound, endBeforeRound, isCleanBoundary, type RunEnd } from './superstep/run-end.js';
import { sopIndexFor, type SopIndex } from './superstep/sop-index.js';
import { applyCommit, commitRound, type BoundaryUsage, type RoundCommit, type SuperstepState } from './superstep/state.js';

export interface TeamResult {
  status: RunStatus;
  error?: SopError;
  /**
   * Rounds completed: the last clean boundary's round, the one a resume continues after (the start
   * messages are round 0). A round a role stopped early in (interrupted, failed, a gate, a budget,
   * an approval) is not counted: a resume runs it again.
   */
  rounds: number;
  /** The round the run stopped in before completing it; absent when it ended at a boundary. */
  stoppedInRound?: number;
  /** Published messages per type. */
  messageCounts: Record<string, number>;
  /** A stalled run's last messages, which no role acted on (what its hint names). */
  unhandled?: Array<Pick<Message, 'id' | 'type' | 'from'>>;
}

export interface TeamOptions {
  nRound: number;
  /** True when `core` is a recorded boundary (`sop resume`): its pending messages are delivered, not published again. */
  resumed: boolean;
  /** Where round boundaries are written (`RunRecord`). */
  record: Pick<RunRecord, 'hold' | 'commit' | 'keepBoundary' | 'flush'>;
}

/**
 * The effectful superstep loop around the pure core (`superstep/`). A new run starts from the empty
 * state and publishes the start messages as round 0; a resumed one starts from its boundary. Each
 * round runs every role with matching news concurrently, commits what they published (role
 * declaration order, publish order) and records the boundary; the core says when the run ends.
 */
export async function runTeam(state: RunState, root: EventScope, core: SuperstepState, options: TeamOptions): Promise<TeamResult> {
  const { sop } = state;
  const index = sopIndexFor(sop);
  const condition: ActionCondition = (action, message) => (action.whenIf ? state.compiled.condition(action.whenIf, conditionContext(message, state.inputs, state.threads)) : true);
  const stopMet = (): boolean => stopConditionMet(state, core.pending);
  /** The last clean boundary's round (what `TeamResult.rounds` counts). */
  let completed = core.round;
  /** The last round begun: past `completed` when the run stops in the middle of it. */
  let begun = completed;
  const end = ({ status, error, budgetStop }: RunEnd): TeamResult => {
    if (budgetStop) state.budgetStop ??= budgetStop;
    const unhandled = status === 'stalled' ? core.pending.map(({ id, type, from }) => ({ id, type, from })) : undefined;
    const stoppedIn = begun > completed ? { stoppedInRound: begun } : {};
    return { status, rounds: completed, ...stoppedIn, messageCounts: core.messageCounts, ...(error ? { error } : {}), ...(unhandled ? { unhandled } : {}) };
  };
  const { record } = options;
  /** Commits what a round (or the start) published; returns the next round's inboxes. */
  const publish = (round: number, pending: readonly PendingMessage[], clean: boolean): { commit: RoundCommit; usage: BoundaryUsage; inboxes: Map<string, Message[]> } => {
    // The boundary before is written before the core moves past it (usually done already, while the round ran).
    record.flush();
    const commit = commitRound(core, round, pending, takeLedgerPatch(state, core.ledger));
    const usage = state.usage.changesAtBoundary(core.ledger.usage);
    const delivery = deliver(commit.messages, index);
    // A round that stopped early is the run's last: the boundary before it stays the resume point.
    if (!clean) record.keepBoundary(core);
    else completed = round;
    applyCommit(core, commit, delivery.recipients);
    emitDeliveries(root, index, commit.messages, delivery);
    return { commit, usage, inboxes: delivery.byRole };
  };
  /** The round's events, and for a clean boundary its commit: one journal write. */
  const writeBoundary = ({ commit, usage }: { commit: RoundCommit; usage: BoundaryUsage }, clean: boolean): void => {
    record.hold(root.drain());
    if (clean) record.commit(core, commit, usage);
  };
  // A role without memory (each reviewer of a wide fan-out) gets one shared empty list: no lookup, no list per call.
  const recall: Recall = (role, trigger) => (role.memory.policy === 'none' ? NO_MEMORY : memoryView(role, core.memories.get(role.id) ?? [], trigger, core.messages));

  let inboxes: Map<string, Message[]>;
  try {
    if (options.resumed) {
      // A run killed after committing the round that met the stop condition, before it recorded its
      // end, has nothing left to do: it completed (a plain loop would find no work and call it stalled).
      if (stopMet()) return end({ status: 'completed' });
      inboxes = deliver(core.pending, index).byRole;
    } else {
      const start = publish(0, renderStartMessages(sop, state.compiled, { inputs: state.inputs, run: runView(state, 0) }), true);
      writeBoundary(start, true);
      inboxes = start.inboxes;
      if (stopMet()) return end({ status: 'completed' });
    }
  } catch (error) {
    return end({ status: 'failed', error: asRunError(error) });
  }
  for (;;) {
    let plan;
    try {
      plan = planRound(inboxes, index, condition);
    } catch (error) {
      return end({ status: 'failed', error: asRunError(error) });
    }
    const aborted = state.signal?.aborted === true;
    const budgetSpent = state.usage.exhausted();
    const before = endBeforeRound({ aborted, planned: plan.length, hasStopWhen: sop.stopWhen.length > 0, budgetSpent, round: core.round, nRound: options.nRound });
    if (before) return end(before);
    const round = core.round + 1;
    begun = round;
    root.emit({ type: 'round-start', round, roles: plan.map((work) => work.role.id) });
    // Child scopes are created in role order before anything runs: the log order is the plan order.
    const scopes = plan.map(() => root.child());
    const outcomes = await Promise.all(plan.map((work, position) => runRole(state, scopes[position] as EventScope, round, work, recall)));
    const stops = outcomes.flatMap((outcome): RoleStop[] => (outcome.stop ? [outcome.stop] : []));
    const abortedNow = state.signal?.aborted === true;
    const clean = isCleanBoundary(stops, abortedNow);
    const published = publish(round, outcomes.flatMap((outcome) => outcome.published), clean);
    root.emit({ type: 'round-end', round, published: published.commit.messages.length });
    writeBoundary(published, clean);
    inboxes = published.inboxes;
    const after = endAfterRound(stops, abortedNow, stopMet);
    if (after) return end(after);
  }
}

/** The memory of a role that keeps none: read only (`baseContext` maps a memory, never changes it). */
const NO_MEMORY: Message[] = Object.freeze([]) as unknown as Message[];

/** One event per published message, then where it went. */
function emitDeliveries(root: EventScope, index: SopIndex, messages: readonly Message[], delivery: DeliveryResult): void {
  for (const message of messages) {
    const { round } = message;
    root.emit({ type: 'message-published', round, message });
    const recipients = delivery.recipients.get(message.id) ?? [];
    // Fields written out, not spread from a shared base: two events per message of a wide round.
    if (message.to !== null && !index.roles.has(message.to)) root.emit({ type: 'message-undeliverable', round, message: message.id, messageType: message.type, to: message.to });
    else if (recipients.length === 0) root.emit({ type: 'message-unclaimed', round, message: message.id, messageType: message.type });
    else root.emit({ type: 'message-delivered', round, message: message.id, messageType: message.type, recipients });
  }
}

/** A published message matches a `stop_when` condition (type, and `if` when given). */
function stopConditionMet(state: RunState, messages: readonly Message[]): boolean {
  const { sop } = state;
  if (sop.stopWhen.length === 0) return false;
  // Plain loops: a wide round's thousand messages are checked after its commit, before the next call.
  for (const message of messages) {
    for (const condition of sop.stopWhen) {
      if (condition.type === message.type && (!condition.if || state.compiled.condition(condition.if, conditionContext(message, state.inputs, state.threads)))) return true;
    }
  }
  return false;
}
