import { SopError, isSopError } from '../errors/index.js';
import type { ChatMessage, ChatPurpose, ChatResponse } from '../providers/chat-model.js';
import type { EventScope } from './event-recorder.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';

export interface ModelCall {
  round: number;
  role: string;
  action?: string;
  model: { name: string; temperature: number | undefined; maxTokens: number | undefined };
  messages: ChatMessage[];
  purpose: ChatPurpose;
  responseSchema?: { name: string; schema: Record<string, unknown> };
  attempt: number;
}

/**
 * One model call with everything around it: budget and interrupt checks before, the concurrency
 * limit, `llm-call-start`/`llm-call-end` events, usage accounting, and provider errors mapped to
 * `PROVIDER_FAILED`.
 */
export async function callModel(state: RunState, events: EventScope, call: ModelCall): Promise<ChatResponse> {
  if (state.signal?.aborted) throw new RunHalt('interrupted');
  if (state.usage.exhausted()) throw new RunHalt('budget');
  return state.limiter.run(async () => {
    if (state.signal?.aborted) throw new RunHalt('interrupted');
    const who = { round: call.round, role: call.role, ...(call.action === undefined ? {} : { action: call.action }) };
    events.emit({ type: 'llm-call-start', ...who, purpose: call.purpose.kind, model: call.model.name, attempt: call.attempt });
    const started = performance.now();
    let response: ChatResponse;
    try {
      response = await state.model.complete({
        messages: call.messages,
        model: call.model.name,
        ...(call.model.temperature === undefined ? {} : { temperature: call.model.temperature }),
        ...(call.model.maxTokens === undefined ? {} : { maxTokens: call.model.maxTokens }),
        ...(call.responseSchema ? { responseSchema: call.responseSchema } : {}),
        purpose: call.purpose,
        ...(state.signal ? { signal: state.signal } : {}),
      });
    } catch (error) {
      if (state.signal?.aborted) throw new RunHalt('interrupted');
      if (isSopError(error)) throw error;
      throw new SopError('PROVIDER_FAILED', `model "${call.model.name}" (${state.model.provider}) failed: ${(error as Error).message}`, {
        hint: 'check the provider settings and that the model is reachable',
        cause: error,
      });
    }
    if (state.model.provider === 'offline') state.offlineAnswered = true;
    state.usage.record(call.role, call.action, response.usage);
    events.emit({
      type: 'llm-call-end',
      ...who,
      purpose: call.purpose.kind,
      model: response.model,
      promptTokens: response.usage.promptTokens,
      completionTokens: response.usage.completionTokens,
      estimated: response.usage.estimated,
      durationMs: Math.round(performance.now() - started),
    });
    return response;
  });
}
