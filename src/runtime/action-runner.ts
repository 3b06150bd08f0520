import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import { baseContext, type Trigger } from './action-context.js';
import { itemKey, type ActionFrame } from './action-frame.js';
import { produceModelOutput } from './action-output.js';
import { checkPrecondition } from './action-preflight.js';
import { readActionFiles } from './action-reads.js';
import { codeLanguage, plannedArtifactPaths, writeArtifacts } from './artifacts.js';
import { executeCommand } from './command-step.js';
import type { EventScope } from './event-recorder.js';
import type { ActionOutcome } from './events.js';
import { checkGates, type GateVerdict } from './gates.js';
import type { Message, PendingMessage } from './message.js';
import { recipientOf } from './recipient.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import { mapConcurrent } from './map-concurrent.js';
import { boundValue } from './inputs.js';

export interface ActionResult {
  /** `limit-reached` when `max_runs` stopped the action before it started. */
  outcome: ActionOutcome | 'limit-reached';
  /** Messages to publish, in order (one per foreach item). */
  published: PendingMessage[];
}

const HALT_OUTCOMES: Record<RunHalt['reason'], ActionOutcome> = {
  budget: 'budget-exhausted',
  interrupted: 'interrupted',
  'awaiting-approval': 'awaiting-approval',
};

interface ItemResult {
  outcome: 'published' | 'routed' | 'gate-stopped';
  message: PendingMessage | undefined;
}

/**
 * Runs one action for one trigger: `max_runs`, foreach fan-out (items `concurrency` at a time,
 * published in item order), then per item: reads, the model call or command, artifacts, gates.
 * Errors (SopError) propagate: the role runner turns them into the run's failure.
 * A promise chain, not an async function: a wide round holds one of these per role in flight.
 */
export function runAction(
  state: RunState,
  events: EventScope,
  round: number,
  role: ResolvedRole,
  action: ResolvedAction,
  trigger: Trigger,
  memory: Message[],
): Promise<ActionResult> {
  const frame = { round, role: role.id, action: action.id, message: trigger.message.id };
  const runs = state.actionRuns.get(action.id) ?? 0;
  let running: Promise<ItemResult[]>;
  try {
    const maxRuns = action.maxRuns === undefined ? undefined : boundValue(action.maxRuns, state.inputs);
    if (maxRuns !== undefined && runs >= maxRuns) {
      events.emit({ type: 'action-limit-reached', ...frame, maxRuns });
      return Promise.resolve({ outcome: 'limit-reached', published: [] });
    }
    state.actionRuns.set(action.id, runs + 1);
    events.emit({ type: 'action-start', ...frame });
  } catch (error) {
    return Promise.reject(error);
  }
  const started = performance.now();
  const end = (outcome: ActionOutcome): void => {
    events.emit({ type: 'action-end', ...frame, outcome, durationMs: Math.round(performance.now() - started) });
  };
  try {
    running = runItems(state, events, round, role, action, trigger, memory);
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    (results) => {
      const outcome = actionOutcome(results);
      end(outcome);
      return { outcome, published: publishedOf(results) };
    },
    (error: unknown) => {
      end(error instanceof RunHalt ? HALT_OUTCOMES[error.reason] : 'failed');
      throw error;
    },
  );
}

/** The action's items: each foreach item (`concurrency` at a time, results in item order), or the single run. */
function runItems(state: RunState, events: EventScope, round: number, role: ResolvedRole, action: ResolvedAction, trigger: Trigger, memory: Message[]): Promise<ItemResult[]> {
  const context = baseContext(state, role, trigger, memory, round);
  if (!action.foreach) {
    return runItem(state, events, { round, role, action, message: trigger.message.id, index: undefined }, context, trigger, undefined).then((result) => [result]);
  }
  const listContext: Record<string, unknown> = { message: context['message'], inputs: state.inputs, role: context['role'] };
  if (trigger.batch) listContext['messages'] = context['messages'];
  const items = state.compiled.list(action.foreach.items, listContext);
  // Each item gets its own event scope, created in item order, so the log does not depend on timing.
  const scopes = items.map(() => events.child());
  return mapConcurrent(items, action.foreach.concurrency, (item, index) =>
    runItem(state, scopes[index] as EventScope, { round, role, action, message: trigger.message.id, index }, { ...context, item, index }, trigger, item),
  );
}

/** The action's outcome from its items': a gate stop over a routing over publishing. */
function actionOutcome(results: readonly ItemResult[]): ActionOutcome {
  let outcome: ActionOutcome = 'published';
  for (const result of results) {
    if (result.outcome === 'gate-stopped') return 'gate-stopped';
    if (result.outcome === 'routed') outcome = 'routed';
  }
  return outcome;
}

/** The items' messages, in item order. */
function publishedOf(results: readonly ItemResult[]): PendingMessage[] {
  const published: PendingMessage[] = [];
  for (const result of results) if (result.message) published.push(result.message);
  return published;
}

const PASSED: GateVerdict = { passed: true };

/** What artifact paths and gates see of an output: the artifact context, and the expression roots (CEL). */
function outputContexts(
  state: RunState,
  action: ResolvedAction,
  context: Record<string, unknown>,
  itemContext: Record<string, unknown>,
  content: string,
  payload: unknown,
): { artifact: Record<string, unknown>; expression: Record<string, unknown> } {
  const expression: Record<string, unknown> = { output: content, payload, message: itemContext['message'], inputs: state.inputs, role: itemContext['role'] };
  if (action.foreach) Object.assign(expression, { item: itemContext['item'], index: itemContext['index'] });
  return { artifact: { ...context, output: content, payload }, expression };
}

/** One item (or the single run): produce, write artifacts, check gates, revise as gates ask. */
async function runItem(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  itemContext: Record<string, unknown>,
  trigger: Trigger,
  item: unknown,
): Promise<ItemResult> {
  const { action, role } = frame;
  // The item's context is this item's own object (made per action run or per item): `files` joins it, no copy.
  const context = itemContext;
  context['files'] = action.reads.length === 0 ? {} : await readActionFiles(state, action, itemContext);
  // Awaited only when there is one: each await is a turn later for the model call (a wide fan-out's first call).
  if (action.precondition) await checkPrecondition(state, events, frame, context);
  const plannedPaths = action.prompt ? plannedArtifactPaths(state, action, context) : [];
  const language = action.output.format === 'code' ? codeLanguage(action, plannedPaths) : action.output.language;
  let gateFeedback = '';
  // A reviewer's edit replaces the next output; the human gate that took it is approved for it.
  let edited: { content: string; payload: unknown } | undefined;
  const approved = new Set<string>();
  const key = item === undefined ? undefined : itemKey(item);
  for (let attempt = 1; ; ) {
    // Scripts answer per attempt and item (`providerOptions.script`); events keep the frame's fields.
    const attemptFrame: ActionFrame = { round: frame.round, role, action, message: frame.message, index: frame.index, attempt };
    if (key !== undefined) attemptFrame.itemKey = key;
    let content: string;
    let payload: unknown;
    if (edited !== undefined) {
      ({ content, payload } = edited);
    } else if (action.run) {
      const result = await executeCommand(state, events, attemptFrame, action.run, context);
      content = result.content;
      payload = result.payload;
    } else {
      const output = await produceModelOutput(state, events, attemptFrame, context, { language, artifactPaths: plannedPaths, gateFeedback });
      content = output.content;
      payload = output.payload;
    }
    const parsedPayload = payload === undefined ? null : payload;
    // An action without artifacts or gates makes none of their contexts (a wide fan-out's items mostly have neither).
    const hasArtifacts = action.artifacts.length > 0;
    const contexts = hasArtifacts || action.gates.length > 0 ? outputContexts(state, action, context, itemContext, content, parsedPayload) : undefined;
    const written = hasArtifacts && contexts ? writeArtifacts(state, events, frame, contexts.artifact, contexts.expression, 'overwrite') : [];
    // Text, markdown and code outputs carry where they were written instead of a JSON value.
    const messagePayload =
      payload !== undefined
        ? payload
        : { artifacts: written, language: language ?? null, item: item ?? null };
    const verdict: GateVerdict =
      action.gates.length === 0 || !contexts
        ? PASSED
        : await checkGates(state, events, attemptFrame, { content, artifacts: written, approved }, { ...context, output: content, payload: messagePayload }, { ...contexts.expression, payload: messagePayload }, attempt);
    const cause = trigger.message.id;
    if (verdict.passed === true) {
      const appended = hasArtifacts && contexts ? writeArtifacts(state, events, frame, contexts.artifact, contexts.expression, 'append') : [];
      const published = payload === undefined && appended.length > 0 ? { ...messagePayload, artifacts: [...written, ...appended] } : messagePayload;
      const to = recipientOf(state, action, () => ({ ...context, output: content, payload: published }));
      return { outcome: 'published', message: { type: action.output.type, content, payload: published, from: role.id, to, cause } };
    }
    if (verdict.passed === 'edited') {
      edited = verdict.output;
      approved.add(verdict.gate);
      continue;
    }
    if (attempt <= verdict.policy.revise) {
      gateFeedback = verdict.feedback;
      edited = undefined;
      approved.clear();
      attempt += 1;
      continue;
    }
    // (`then: warn` never gets here: its gate lets the output through once the revisions are spent.)
    const then = verdict.policy.then;
    if (typeof then === 'string') return { outcome: 'gate-stopped', message: undefined };
    // An escalation (`then: { route, to }`) hands the work over: the last output travels with the feedback.
    const handOver = then.escalated ? { output: content } : {};
    return {
      outcome: 'routed',
      message: {
        type: then.route,
        content: verdict.feedback,
        payload: { gate: verdict.gate, action: action.id, feedback: verdict.feedback, ...handOver },
        from: role.id,
        to: then.to ?? null,
        cause,
      },
    };
  }
}
