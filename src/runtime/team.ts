import type { SopError } from '../errors/index.js';
import { asRunError } from './run-error.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { conditionContext, runView } from './action-context.js';
import { deliver } from './delivery.js';
import type { TeamSnapshot } from './checkpoint.js';
import type { EventScope } from './event-recorder.js';
import { RoleMemory } from './memory.js';
import { MessageIds, type Message, type PendingMessage } from './message.js';
import { runRole, type RoleOutcome } from './role-runner.js';
import type { RunState } from './run-state.js';
import { planRound, type MatchRules } from './schedule.js';
import { renderStartMessages } from './start-messages.js';
import type { RunStatus } from './status.js';

export interface TeamResult {
  status: RunStatus;
  error?: SopError;
  /** Rounds that ran (the start messages are round 0). */
  rounds: number;
  /** Published messages per type. */
  messageCounts: Record<string, number>;
}

export interface TeamOptions {
  nRound: number;
  /** Writes the events gathered so far to the log (called at every round boundary). */
  flush: () => void;
  /**
   * Called after the flush at every clean round boundary (round 0 included): no role stopped
   * early and no interrupt, so the state is exactly "round done, next not started".
   */
  checkpoint?: (snapshot: TeamSnapshot) => void;
  /** Continue from a checkpoint instead of publishing the start messages (`sop resume`). */
  resume?: TeamSnapshot;
}

/**
 * The superstep loop. Round 0 publishes the start messages; each round delivers what the
 * previous one published, runs every role with matching news concurrently, then publishes
 * what they produced in (role declaration order, publish order). After each round the run ends
 * on the first of: interrupted, failed, gate stop, `stop_when` met, budget spent, idle
 * (completed without `stop_when`, else stalled), round limit.
 */
export async function runTeam(state: RunState, root: EventScope, options: TeamOptions): Promise<TeamResult> {
  const { sop } = state;
  const { resume } = options;
  const ids = new MessageIds(resume?.nextMessageId ?? 0);
  const memories = new Map(sop.roles.map((role) => [role.id, new RoleMemory()]));
  const messageCounts: Record<string, number> = { ...resume?.messageCounts };
  if (resume) {
    for (const [roleId, messageIds] of Object.entries(resume.memories)) {
      const memory = memories.get(roleId);
      for (const id of messageIds) {
        const message = state.messagesById.get(id);
        if (memory && message) memory.add(message);
      }
    }
  }
  const rules: MatchRules = {
    explicitTypes: state.explicitTypes,
    condition: (action, message) => (action.whenIf ? state.compiled.condition(action.whenIf, conditionContext(message, state.inputs)) : true),
  };
  let rounds = resume?.round ?? 0;
  const snapshot = (pending: Message[]): TeamSnapshot => ({
    round: rounds,
    nextMessageId: ids.issued,
    pending,
    memories: Object.fromEntries([...memories].map(([roleId, memory]) => [roleId, memory.ids()])),
    messageCounts: { ...messageCounts },
  });
  const end = (status: RunStatus, error?: SopError): TeamResult => ({ status, rounds, messageCounts, ...(error ? { error } : {}) });

  const publish = (round: number, pending: PendingMessage[]): { messages: Message[]; inboxes: Map<string, Message[]> } => {
    const messages: Message[] = pending.map((message) => ({
      id: ids.next(),
      type: message.type,
      content: message.content,
      payload: message.payload,
      from: message.from,
      to: message.to,
      cause: message.cause,
      round,
    }));
    const delivery = deliver(messages, sop.roles);
    for (const message of messages) {
      state.messagesById.set(message.id, message);
      messageCounts[message.type] = (messageCounts[message.type] ?? 0) + 1;
      root.emit({ type: 'message-published', round, message });
      const recipients = delivery.recipients.get(message.id) ?? [];
      const base = { round, message: message.id, messageType: message.type };
      if (message.to !== null && !memories.has(message.to)) root.emit({ type: 'message-undeliverable', ...base, to: message.to });
      else if (recipients.length === 0) root.emit({ type: 'message-unclaimed', ...base });
      else root.emit({ type: 'message-delivered', ...base, recipients });
      memories.get(message.from)?.add(message);
      for (const recipient of recipients) memories.get(recipient)?.add(message);
    }
    return { messages, inboxes: delivery.byRole };
  };

  let inboxes: Map<string, Message[]>;
  if (resume) {
    // The pending messages were published (and logged) before the checkpoint: deliver, never re-publish.
    inboxes = deliver(resume.pending, sop.roles).byRole;
  } else {
    try {
      const start = renderStartMessages(sop, state.compiled, { inputs: state.inputs, run: runView(state, 0) });
      const published = publish(0, start);
      options.flush();
      options.checkpoint?.(snapshot(published.messages));
      if (stopConditionMet(state, published.messages)) return end('completed');
      inboxes = published.inboxes;
    } catch (error) {
      return end('failed', asRunError(error));
    }
  }

  for (;;) {
    if (state.signal?.aborted) return end('interrupted');
    let plan;
    try {
      plan = planRound(inboxes, sop.roles, rules);
    } catch (error) {
      return end('failed', asRunError(error));
    }
    if (plan.length === 0) return end(sop.stopWhen.length > 0 ? 'stalled' : 'completed');
    if (state.usage.exhausted()) {
      state.budgetStop ??= { reason: 'spent' };
      return end('budget_exhausted');
    }
    if (rounds >= options.nRound) return end('round_limit');
    rounds += 1;
    const round = rounds;
    root.emit({ type: 'round-start', round, roles: plan.map((work) => work.role.id) });
    // Child scopes are created in role order before anything runs: the log order is the plan order.
    const scopes = plan.map(() => root.child());
    const outcomes: RoleOutcome[] = await Promise.all(
      plan.map((work, index) => runRole(state, scopes[index] as EventScope, round, work, memories.get(work.role.id) as RoleMemory)),
    );
    const published = publish(round, outcomes.flatMap((outcome) => outcome.published));
    root.emit({ type: 'round-end', round, published: published.messages.length });
    options.flush();

    const stops = outcomes.flatMap((outcome) => (outcome.stop ? [outcome.stop] : []));
    if (stops.length === 0 && !state.signal?.aborted) options.checkpoint?.(snapshot(published.messages));
    if (state.signal?.aborted || stops.some((stop) => stop.reason === 'interrupted')) return end('interrupted');
    const failure = stops.find((stop) => stop.reason === 'failed');
    if (failure && failure.reason === 'failed') return end('failed', failure.error);
    if (stops.some((stop) => stop.reason === 'gate')) return end('gate_stopped');
    // The round's other work is done (and its calls journaled); resuming runs the round again.
    if (stops.some((stop) => stop.reason === 'awaiting-approval')) return end('awaiting_approval');
    try {
      if (stopConditionMet(state, published.messages)) return end('completed');
    } catch (error) {
      return end('failed', asRunError(error));
    }
    if (stops.some((stop) => stop.reason === 'budget')) return end('budget_exhausted');
    inboxes = published.inboxes;
  }
}

/** A published message matches a `stop_when` condition (type, and `if` when given). */
function stopConditionMet(state: RunState, messages: readonly Message[]): boolean {
  const { sop } = state;
  return messages.some((message) =>
    sop.stopWhen.some(
      (condition) =>
        condition.type === message.type &&
        (!condition.if || state.compiled.condition(condition.if, conditionContext(message, state.inputs))),
    ),
  );
}


/** Action ids whose `when.type` is written in the SOP (the default also accepts addressed messages). */
export function explicitWhenTypes(sop: ResolvedSop): Set<string> {
  const explicit = new Set<string>();
  for (const role of Object.values(sop.document.roles ?? {})) {
    for (const action of role.actions ?? []) if (action.when?.type !== undefined) explicit.add(action.id);
  }
  return explicit;
}
