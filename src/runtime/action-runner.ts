import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import { baseContext, type Trigger } from './action-context.js';
import { itemKey, type ActionFrame } from './action-frame.js';
import { produceModelOutput, type ModelOutput, type OutputCheck, type Revision } from './action-output.js';
import { checkPrecondition } from './action-preflight.js';
import { readActionFiles } from './action-reads.js';
import { codeLanguage, plannedArtifactPaths, renderArtifacts, writeArtifacts, type RenderedArtifact } from './artifacts.js';
import { executeCommand } from './command-step.js';
import type { EventScope } from './event-recorder.js';
import type { ActionOutcome } from './events.js';
import { checkGates, type GateVerdict } from './gates.js';
import type { Message, PendingMessage } from './message.js';
import { OutputMisfit } from './output-misfit.js';
import { recipientOf, renderedRecipient } from './recipient.js';
import { awaitsApproval, RunHalt } from './run-halt.js';
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
  // One frame for the run's events and, outside a foreach, for its single item.
  const frame: ActionFrame = { round, role, action, message: trigger.message.id, index: undefined };
  const runs = state.actionRuns.get(action.id) ?? 0;
  let running: Promise<ItemResult[] | ItemResult>;
  try {
    const maxRuns = action.maxRuns === undefined ? undefined : boundValue(action.maxRuns, state.inputs);
    if (maxRuns !== undefined && runs >= maxRuns) {
      events.emit({ type: 'action-limit-reached', round, role: role.id, action: action.id, message: frame.message, maxRuns });
      return Promise.resolve({ outcome: 'limit-reached', published: [] });
    }
    state.actionRuns.set(action.id, runs + 1);
    events.emit({ type: 'action-start', round, role: role.id, action: action.id, message: frame.message });
  } catch (error) {
    return Promise.reject(error);
  }
  const started = performance.now();
  try {
    running = runItems(state, events, frame, trigger, memory);
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    (results) => {
      // A single run's result comes as it is: no list, and one promise fewer, per action run.
      if (!Array.isArray(results)) {
        endAction(events, frame, results.outcome, started);
        return { outcome: results.outcome, published: results.message ? [results.message] : [] };
      }
      const outcome = actionOutcome(results);
      endAction(events, frame, outcome, started);
      return { outcome, published: publishedOf(results) };
    },
    (error: unknown) => {
      endAction(events, frame, error instanceof RunHalt ? HALT_OUTCOMES[error.reason] : 'failed', started);
      throw error;
    },
  );
}

/** The action run's `action-end` event. */
function endAction(events: EventScope, frame: ActionFrame, outcome: ActionOutcome, started: number): void {
  events.emit({ type: 'action-end', round: frame.round, role: frame.role.id, action: frame.action.id, message: frame.message, outcome, durationMs: Math.round(performance.now() - started) });
}

/** The action's items: each foreach item (`concurrency` at a time, results in item order), or the single run's result alone. */
function runItems(state: RunState, events: EventScope, frame: ActionFrame, trigger: Trigger, memory: Message[]): Promise<ItemResult[] | ItemResult> {
  const { round, role, action } = frame;
  const context = baseContext(state, role, trigger, memory, round);
  if (!action.foreach) return runItem(state, events, frame, context, trigger, undefined);
  const listContext: Record<string, unknown> = { message: context['message'], inputs: state.inputs, role: context['role'] };
  if (trigger.batch) listContext['messages'] = context['messages'];
  const items = state.compiled.list(action.foreach.items, listContext);
  // Each item gets its own event scope, created in item order, so the log does not depend on timing.
  const scopes = items.map(() => events.child());
  const settled: ItemResult[] = [];
  return mapConcurrent(
    items,
    action.foreach.concurrency,
    (item, index) =>
      runItem(state, scopes[index] as EventScope, { round, role, action, message: trigger.message.id, index }, { ...context, item, index }, trigger, item).then((result) => {
        settled[index] = result;
        return result;
      }),
    awaitsApproval,
  ).catch((error: unknown) => {
    // An item a gate stopped (a reviewer's rejection with `on_fail: stop`) ends the run whatever the
    // decisions other items await: the run stops rather than pausing to ask them for nothing.
    if (awaitsApproval(error) && settled.some((result) => result?.outcome === 'gate-stopped')) return settled.filter((result) => result !== undefined);
    throw error;
  });
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
/** The planned artifact paths of an action without artifacts: none (no list made per item; never written to). */
const NO_PATHS: string[] = Object.freeze([]) as unknown as string[];
/** The approvals of an action without gates: none, ever (no Set made per item). */
const NO_APPROVALS: Set<string> = new Set();

/** The rendered artifacts of an action without artifacts: none (never written to). */
const NO_ARTIFACTS: readonly RenderedArtifact[] = Object.freeze([]);

/** What artifact templates and gates see of an output: the artifact context, and the expression roots (CEL). */
interface OutputContexts {
  artifact: Record<string, unknown>;
  expression: Record<string, unknown>;
}

function outputContexts(
  state: RunState,
  action: ResolvedAction,
  context: Record<string, unknown>,
  itemContext: Record<string, unknown>,
  content: string,
  payload: unknown,
): OutputContexts {
  const expression: Record<string, unknown> = { output: content, payload, message: itemContext['message'], inputs: state.inputs, role: itemContext['role'] };
  if (action.foreach) Object.assign(expression, { item: itemContext['item'], index: itemContext['index'] });
  return { artifact: { ...context, output: content, payload }, expression };
}

/**
 * One item (or the single run): produce, write artifacts, check gates, revise as gates ask. A
 * promise chain, not an async function (a wide round holds one per role in flight): the reads and
 * the precondition, when the action has them, then one `attempt` after another.
 */
function runItem(state: RunState, events: EventScope, frame: ActionFrame, itemContext: Record<string, unknown>, trigger: Trigger, item: unknown): Promise<ItemResult> {
  const { action } = frame;
  // Awaited only when there is one: each await is a turn later for the model call (a wide fan-out's first call).
  if (action.reads.length > 0 || action.precondition) return prepareItem(state, events, frame, itemContext).then(() => itemAttempts(state, events, frame, itemContext, trigger, item));
  try {
    // The item's context is this item's own object (made per action run or per item): `files` joins it, no copy.
    itemContext['files'] = {};
    return itemAttempts(state, events, frame, itemContext, trigger, item);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What an attempt asks of the model's output, field by field (a spread of an empty object per call cost ~3x a field). */
function modelContract(language: string | undefined, artifactPaths: string[], revision: Revision | undefined, check: OutputCheck | undefined): { language: string | undefined; artifactPaths: string[]; revision: Revision | undefined; check?: OutputCheck } {
  const contract: { language: string | undefined; artifactPaths: string[]; revision: Revision | undefined; check?: OutputCheck } = { language, artifactPaths, revision };
  if (check) contract.check = check;
  return contract;
}

/** The files an item reads, into its context, then its precondition. */
async function prepareItem(state: RunState, events: EventScope, frame: ActionFrame, context: Record<string, unknown>): Promise<void> {
  const { action } = frame;
  context['files'] = action.reads.length === 0 ? {} : await readActionFiles(state, action, context);
  if (action.precondition) await checkPrecondition(state, events, frame, context);
}

/** An item's outputs until one passes its gates (or they stop, route or escalate it). */
function itemAttempts(state: RunState, events: EventScope, frame: ActionFrame, itemContext: Record<string, unknown>, trigger: Trigger, item: unknown): Promise<ItemResult> {
  const { action, role } = frame;
  const context = itemContext;
  const plannedPaths = action.prompt && action.artifacts.length > 0 ? plannedArtifactPaths(state, action, context) : NO_PATHS;
  const language = action.output.format === 'code' ? codeLanguage(action, plannedPaths) : action.output.language;
  // Human gates approved for the next output (a reviewer's edit approves the gate that took it); only gates fill it.
  const approved = action.gates.length > 0 ? new Set<string>() : NO_APPROVALS;
  const key = item === undefined ? undefined : itemKey(item);
  const cause = trigger.message.id;

  /** One output: `edited` (a reviewer's edit) replaces the next output; `revision`: what a gate sent back, and why. */
  const attempt = (number: number, edited: { content: string; payload: unknown } | undefined, revision: Revision | undefined): Promise<ItemResult> => {
    // Scripts answer per attempt and item (`providerOptions.script`); events keep the frame's fields.
    // The first attempt of an item without a key is the frame itself (an absent attempt reads as 1).
    const attemptFrame: ActionFrame = number === 1 && key === undefined ? frame : { round: frame.round, role, action, message: frame.message, index: frame.index, attempt: number };
    if (key !== undefined) attemptFrame.itemKey = key;
    // A JSON answer's artifacts and dynamic `to` are rendered as part of reading it (`check`): one
    // that lacks a field a template reads is re-asked, and the artifacts' texts are kept for writing.
    let checked: { output: ModelOutput; contexts: OutputContexts; rendered: RenderedArtifact[] } | undefined;
    const check: OutputCheck | undefined = edited === undefined && action.output.format === 'json' && (action.artifacts.length > 0 || action.output.toTemplate)
      ? (output) => {
        try {
          if (action.artifacts.length > 0) {
            const contexts = outputContexts(state, action, context, itemContext, output.content, output.payload === undefined ? null : output.payload);
            checked = { output, contexts, rendered: renderArtifacts(state, frame, contexts.artifact, contexts.expression) };
          }
          // Rendered again once the gates pass (a revision's answer is checked anew); its role is checked there.
          if (action.output.toTemplate) renderedRecipient(state, action, context, output.content, output.payload);
          return undefined;
        } catch (error) {
          if (error instanceof OutputMisfit) return error;
          throw error;
        }
      }
      : undefined;
    const produced: Promise<ModelOutput> =
      edited !== undefined
        ? Promise.resolve(edited)
        : action.run
          ? executeCommand(state, events, attemptFrame, action.run, context)
          : produceModelOutput(state, events, attemptFrame, context, modelContract(language, plannedPaths, revision, check));
    return produced.then((output) => {
      const { content, payload } = output;
      const parsedPayload = payload === undefined ? null : payload;
      // An action without artifacts or gates makes none of their contexts (a wide fan-out's items mostly have neither).
      const hasArtifacts = action.artifacts.length > 0;
      const kept = checked?.output === output ? checked : undefined;
      const contexts = kept?.contexts ?? (hasArtifacts || action.gates.length > 0 ? outputContexts(state, action, context, itemContext, content, parsedPayload) : undefined);
      const rendered = kept?.rendered ?? (hasArtifacts && contexts ? renderArtifacts(state, frame, contexts.artifact, contexts.expression) : NO_ARTIFACTS);
      const written = hasArtifacts ? writeArtifacts(state, events, frame, rendered, 'overwrite') : [];
      // Until the gates decide, the files are drafts: a run stopped in a gate does not report them written.
      const gated = action.gates.length > 0 && written.length > 0;
      if (gated) for (const file of written) state.undecidedArtifacts.add(file);
      // Text, markdown and code outputs carry where they were written instead of a JSON value.
      const messagePayload = payload !== undefined ? payload : { artifacts: written, language: language ?? null, item: item ?? null };
      const decide = (verdict: GateVerdict): ItemResult | Promise<ItemResult> => {
        if (gated) for (const file of written) state.undecidedArtifacts.delete(file);
        if (verdict.passed === true) {
          const appended = hasArtifacts ? writeArtifacts(state, events, frame, rendered, 'append') : NO_PATHS;
          const published = payload === undefined && appended.length > 0 ? { ...(messagePayload as Record<string, unknown>), artifacts: [...written, ...appended] } : messagePayload;
          const to = recipientOf(state, action, context, content, published);
          return { outcome: 'published', message: { type: action.output.type, content, payload: published, from: role.id, to, cause } };
        }
        if (verdict.passed === 'edited') {
          approved.add(verdict.gate);
          return attempt(number, verdict.output, revision);
        }
        // Rejected: its files stay in the workspace as drafts, not the run's artifacts (a revision writes them anew).
        if (gated) for (const file of written) state.rejectedArtifacts.add(file);
        if (number <= verdict.policy.revise) {
          approved.clear();
          return attempt(number + 1, undefined, { output: content, feedback: verdict.feedback });
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
      };
      if (action.gates.length === 0 || !contexts) return decide(PASSED);
      return checkGates(state, events, attemptFrame, { content, artifacts: written, approved }, { ...context, output: content, payload: messagePayload }, { ...contexts.expression, payload: messagePayload }, number).then(decide);
    });
  };
  return attempt(1, undefined, undefined);
}
