import { plural, SopError } from '../errors/index.js';
import type { ChatMessage, ChatResponse } from '../providers/chat-model.js';
import { parseOutput } from '../outputs/index.js';
import type { ResolvedAction, ResolvedModelRef, ResolvedRole } from '../spec/resolved.js';
import type { EventScope } from './event-recorder.js';
import { callModel, type ModelCall } from './llm-call.js';
import { isOffline } from './models.js';
import { callWithTools, type ToolOffer } from './tool-loop.js';
import { jsonRepairs, missingFields } from './output-repairs.js';
import type { RunState } from './run-state.js';
import type { RevisionPrompt } from './run-settings.js';
import { frameFields, revisionOf, scriptHints, type ActionFrame } from './action-frame.js';
import type { SkippedToolsReport } from './toolbox.js';
import type { OutputMisfit } from './output-misfit.js';
import { promptFieldMissing } from './prompt-fit.js';

export interface ModelOutput {
  content: string;
  /** Parsed JSON for `format: json`, else undefined. */
  payload: unknown;
}

/** An output a gate sent back: the output, and the gate's feedback on it. */
export interface Revision {
  output: string;
  feedback: string;
}

/**
 * What the action makes of an answer that passed its schema (its artifacts, its dynamic `to`,
 * rendered): a field the answer lacks and a template reads is a broken contract too, re-asked like
 * a schema error.
 */
export type OutputCheck = (output: ModelOutput) => OutputMisfit | undefined;

/**
 * Asks the model for an action's output and reads it against the output contract. An invalid
 * reply is re-asked with the exact errors (as `feedback` and as a follow-up turn) up to
 * `max_attempts`; then the action fails with `OUTPUT_INVALID` naming role, action and fields.
 */
/** The schema of a JSON output's message type, and a validator for it (none for other formats). */
function outputContract(state: RunState, action: ResolvedAction): { schema?: Record<string, unknown>; validate?: (value: unknown) => string[] } {
  const schema = action.output.format === 'json' ? state.sop.messages[action.output.type]?.schema : undefined;
  return schema ? { schema, validate: (value) => state.validators.validate(action.output.type, schema, value) } : NO_CONTRACT;
}

/** The contract of an output that is not JSON: none (one object, not one per call). */
const NO_CONTRACT: { schema?: Record<string, unknown>; validate?: (value: unknown) => string[] } = Object.freeze({});

/** The roots `ask` checks a prompt for (one list each, not one per call). */
const FEEDBACK: readonly string[] = ['feedback'];
const PREVIOUS_OUTPUT: readonly string[] = ['previous_output'];

/**
 * What every call of an action asks the same: its own model references, nearest first (action,
 * role; only ever read), and whether its prompt reads `feedback` or `previous_output`. One lookup
 * per call instead of three (a wide fan-out starts a thousand calls in one turn); kept with the
 * compiled templates it was read from.
 */
interface ActionFacts {
  compiled: RunState['compiled'];
  refs: Array<ResolvedModelRef | undefined>;
  readsFeedback: boolean;
  readsPrevious: boolean;
}
const factsByAction = new WeakMap<ResolvedAction, ActionFacts>();

function actionFacts(state: RunState, role: ResolvedRole, action: ResolvedAction, prompt: NonNullable<ResolvedAction['prompt']>): ActionFacts {
  let facts = factsByAction.get(action);
  if (!facts || facts.compiled !== state.compiled) {
    facts = { compiled: state.compiled, refs: [action.model, role.model], readsFeedback: state.compiled.reads(prompt, FEEDBACK), readsPrevious: state.compiled.reads(prompt, PREVIOUS_OUTPUT) };
    factsByAction.set(action, facts);
  }
  return facts;
}

/** The index fields of an action run outside a foreach: none (spread into its rare events; not made per call). */
const NO_INDEX: { index?: number } = Object.freeze({});

/** No tool calls before the answer (a call without tools). */
const NO_TRANSCRIPT: readonly ChatMessage[] = [];

/**
 * A promise chain, not an async function: a suspended frame per call in flight was a wide
 * fan-out's largest young object. Each attempt is `ask`; a re-ask chains the next one.
 */
export function produceModelOutput(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  context: Record<string, unknown>,
  contract: { language: string | undefined; artifactPaths: string[]; revision: Revision | undefined; check?: OutputCheck },
): Promise<ModelOutput> {
  const { action, role } = frame;
  const prompt = action.prompt;
  if (!prompt) return Promise.reject(new SopError('INTERNAL', `action ${action.id} has no prompt`));
  const messageType = state.sop.messages[action.output.type];
  const { schema, validate } = outputContract(state, action);
  const system = state.systemPrompts.forAction(role, action, messageType, contract.language);
  const facts = actionFacts(state, role, action, prompt);
  const promptReadsFeedback = facts.readsFeedback;
  const promptReadsPrevious = facts.readsPrevious;
  const revision = contract.revision;
  const where = frame.index === undefined ? NO_INDEX : { index: frame.index };
  const attempts = action.output.maxAttempts;

  const ask = (attempt: number, offer: ToolOffer | undefined, feedback: string, followUps: ChatMessage[]): Promise<ModelOutput> => {
    // `feedback` and `previous_output` are added only for a prompt that reads them: no copy of the context per call otherwise.
    // A prompt that reads only what a round's action runs share is rendered once for all of them.
    let user: string;
    try {
      user =
        promptReadsFeedback || promptReadsPrevious
          ? state.compiled.render(prompt, { ...context, feedback, previous_output: revision && state.revisionPrompt !== 'feedback' ? revision.output : '' })
          : state.compiled.renderShared(prompt, context);
    } catch (error) {
      // A field the message answered lacks is named with the message, not as an undefined variable.
      throw promptFieldMissing(state, frame, prompt, context, error) ?? error;
    }
    if (revision) user += revisionNote(revision, state.revisionPrompt, promptReadsFeedback, promptReadsPrevious);
    if (attempt > 1) state.usage.countReask(role.id, action.id);
    const call: ModelCall = {
      round: frame.round,
      role: role.id,
      action: action.id,
      refs: facts.refs,
      messages: followUps.length === 0 ? [{ role: 'system', content: system }, { role: 'user', content: user }] : [{ role: 'system', content: system }, { role: 'user', content: user }, ...followUps],
      offlineHints: {
        kind: 'action',
        role: role.id,
        action: action.id,
        format: action.output.format,
        outputType: action.output.type,
        language: contract.language,
        artifactPaths: contract.artifactPaths,
        attempt,
      },
      scriptHints: scriptHints(frame),
      attempt,
      revision: revisionOf(frame),
    };
    if (schema) call.responseSchema = { name: action.output.type, schema };
    if (frame.index !== undefined) call.index = frame.index;
    if (offer) return callWithTools(state, events, frame, call, offer).then(({ response, transcript }) => read(attempt, offer, response, transcript));
    return callModel(state, events, call).then((response) => read(attempt, offer, response, NO_TRANSCRIPT));
  };
  /** An answer read against the output contract: the output, or the next attempt with the errors. */
  const read = (attempt: number, offer: ToolOffer | undefined, response: ChatResponse, transcript: readonly ChatMessage[]): ModelOutput | Promise<ModelOutput> => {
    const parsed = parseOutput(response.text, action.output.format, validate);
    if (action.output.format === 'json' && parsed.ok) {
      const repairs = jsonRepairs(response.text);
      if (repairs.length > 0) {
        events.emit({
          type: 'output-repaired', round: frame.round, role: role.id, action: action.id, message: frame.message, ...where,
          attempt, repairs, raw: response.text, rawLength: response.text.length, repairedLength: parsed.content.length,
        });
      }
    }
    const output = parsed.ok ? { content: parsed.content, payload: parsed.payload } : undefined;
    const misfit = output && contract.check?.(output);
    if (output && !misfit) return output;
    const errors = misfit ? [misfit.problem] : parsed.ok ? [] : parsed.errors;
    events.emit({ type: 'output-invalid', round: frame.round, role: role.id, action: action.id, message: frame.message, ...where, attempt, maxAttempts: attempts, errors, raw: response.text });
    if (attempt >= attempts) throw misfit ? misfit.afterAttempts(attempts) : invalidOutput(role, action, attempts, errors, isOffline(state.models.forCall(...facts.refs)));
    // The attempt number keeps each re-ask a new request: a cached (or deterministic) answer to the
    // previous one would only repeat the same invalid reply.
    return ask(attempt + 1, offer, errors.join('\n'), [
      ...transcript,
      { role: 'assistant', content: response.text },
      { role: 'user', content: `That reply (attempt ${attempt} of ${attempts}) is not a valid ${action.output.type}:\n${errors.map((line) => `- ${line}`).join('\n')}\nReply again with the corrected output only.` },
    ]);
  };
  try {
    const feedback = revision?.feedback ?? '';
    if (action.tools.length === 0) return ask(1, undefined, feedback, []);
    const reportSkipped: SkippedToolsReport = (server, skipped) => {
      for (const { tool, reason } of skipped) events.emit({ type: 'tool-skipped', ...frameFields(frame), server, tool: `${server}.${tool}`, reason });
    };
    return state.toolbox.toolsFor(action, reportSkipped).then((tools) => ask(1, { tools, budget: { left: action.maxToolCalls, max: action.maxToolCalls } }, feedback, []));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The action's failure once every attempt broke the output contract. The offline model reads no
 * prompt: its hint says how to get past the schema it could not meet instead.
 */
function invalidOutput(role: ResolvedRole, action: ResolvedAction, attempts: number, lastErrors: string[], offline: boolean): SopError {
  const missing = missingFields(lastErrors);
  const type = action.output.type;
  const hint = offline
    ? `the offline model does not read the prompt, and could not produce a valid ${type} for its schema: ` +
      `script this answer (--model script:answers.yaml with \`- { role: ${role.id}, action: ${action.id}, output: ... }\`, see docs/scripted-model.md) ` +
      'or run with a real model (--model provider:model); if no value can meet the errors above (say more unique items than the item schema allows), fix the schema'
    : `make the prompt state every required field of ${type}, or raise output.max_attempts`;
  return new SopError(
    'OUTPUT_INVALID',
    `role ${role.id}, action ${action.id}: the output is not a valid ${type} after ${plural(attempts, 'attempt')}` +
      `${missing.length > 0 ? ` (missing fields: ${missing.join(', ')})` : ''}: ${lastErrors.join('; ')}`,
    { hint },
  );
}

/**
 * What a revision adds to a prompt: nothing to one that places the feedback (its author writes the
 * revision's text, and places `previous_output` there); the feedback to one that places only the
 * output; else the previous output, then the feedback (the output left out for a run that asks
 * revisions as older versions did, see `RunSettings.revisionPrompt`).
 */
function revisionNote(revision: Revision, shown: RevisionPrompt, readsFeedback: boolean, readsPrevious: boolean): string {
  if (readsFeedback) return '';
  const feedback = revision.feedback === '' ? '' : `\n\nFeedback on your previous output:\n${revision.feedback}`;
  if (shown === 'feedback' || readsPrevious) return feedback;
  return `\n\nYour previous output:\n${revision.output}${feedback}`;
}
