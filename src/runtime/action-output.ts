import { SopError } from '../errors/index.js';
import type { ChatMessage } from '../providers/chat-model.js';
import { parseOutput } from '../outputs/index.js';
import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import type { EventScope } from './event-recorder.js';
import { callModel, type ModelCall } from './llm-call.js';
import { callWithTools, type ToolOffer } from './tool-loop.js';
import { jsonRepairs, missingFields } from './output-repairs.js';
import type { RunState } from './run-state.js';
import { scriptHints, type ActionFrame } from './action-frame.js';

export interface ModelOutput {
  content: string;
  /** Parsed JSON for `format: json`, else undefined. */
  payload: unknown;
}

/**
 * Asks the model for an action's output and reads it against the output contract. An invalid
 * reply is re-asked with the exact errors (as `feedback` and as a follow-up turn) up to
 * `max_attempts`; then the action fails with `OUTPUT_INVALID` naming role, action and fields.
 */
/** The schema of a JSON output's message type, and a validator for it (none for other formats). */
export function outputContract(state: RunState, action: ResolvedAction): { schema?: Record<string, unknown>; validate?: (value: unknown) => string[] } {
  const schema = action.output.format === 'json' ? state.sop.messages[action.output.type]?.schema : undefined;
  return schema ? { schema, validate: (value) => state.validators.validate(action.output.type, schema, value) } : {};
}

export async function produceModelOutput(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  context: Record<string, unknown>,
  contract: { language: string | undefined; artifactPaths: string[]; gateFeedback: string },
): Promise<ModelOutput> {
  const { action, role } = frame;
  const prompt = action.prompt;
  if (!prompt) throw new SopError('INTERNAL', `action ${action.id} has no prompt`);
  const messageType = state.sop.messages[action.output.type];
  const { schema, validate } = outputContract(state, action);
  const system = state.systemPrompts.forAction(role, action, messageType, contract.language);
  const promptReadsFeedback = state.compiled.reads(prompt, ['feedback']);
  const where = frame.index === undefined ? {} : { index: frame.index };
  const offer: ToolOffer | undefined =
    action.tools.length > 0 ? { tools: await state.toolbox.toolsFor(action), budget: { left: action.maxToolCalls, max: action.maxToolCalls } } : undefined;

  let feedback = contract.gateFeedback;
  let followUps: ChatMessage[] = [];
  let lastErrors: string[] = [];
  const attempts = action.output.maxAttempts;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    // `feedback` is added only for a prompt that reads it: no copy of the context per call otherwise.
    let user = state.compiled.render(prompt, promptReadsFeedback ? { ...context, feedback } : context);
    // A gate's feedback must reach the model even when the prompt does not place it.
    if (contract.gateFeedback !== '' && !promptReadsFeedback) user += `\n\nFeedback on your previous output:\n${contract.gateFeedback}`;
    if (attempt > 1) state.usage.countReask(role.id, action.id);
    const call: ModelCall = {
      round: frame.round,
      role: role.id,
      action: action.id,
      ...where,
      refs: [action.model, role.model],
      messages: [{ role: 'system', content: system }, { role: 'user', content: user }, ...followUps],
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
      ...(schema ? { responseSchema: { name: action.output.type, schema } } : {}),
      attempt,
    };
    const { response, transcript } = offer ? await callWithTools(state, events, frame, call, offer) : { response: await callModel(state, events, call), transcript: [] };
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
    if (parsed.ok) return { content: parsed.content, payload: parsed.payload };
    lastErrors = parsed.errors;
    events.emit({ type: 'output-invalid', round: frame.round, role: role.id, action: action.id, message: frame.message, ...where, attempt, errors: parsed.errors, raw: response.text });
    feedback = parsed.errors.join('\n');
    // The attempt number keeps each re-ask a new request: a cached (or deterministic) answer to the
    // previous one would only repeat the same invalid reply.
    followUps = [
      ...transcript,
      { role: 'assistant', content: response.text },
      { role: 'user', content: `That reply (attempt ${attempt} of ${attempts}) is not a valid ${action.output.type}:\n${parsed.errors.map((line) => `- ${line}`).join('\n')}\nReply again with the corrected output only.` },
    ];
  }
  const missing = missingFields(lastErrors);
  throw new SopError(
    'OUTPUT_INVALID',
    `role ${role.id}, action ${action.id}: the output is not a valid ${action.output.type} after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
      `${missing.length > 0 ? ` (missing fields: ${missing.join(', ')})` : ''}: ${lastErrors.join('; ')}`,
    { hint: `make the prompt state every required field of ${action.output.type}, or raise output.max_attempts` },
  );
}
