import type { ChatModel, ChatRequest, ChatResponse } from '../../../src/providers/chat-model.js';
import { ProviderError, type ProviderErrorCode } from '../../../src/providers/provider-error.js';

/** One scripted step: an answer, an error to throw, or a call that never ends until aborted. */
export type Step = { text: string } | { error: ProviderError | Error } | { hang: true } | { delayMs: number; text: string };

/**
 * A ChatModel that plays a script, one step per call (the last step repeats), and records every
 * request it received and how many calls were in flight at once.
 */
export interface ScriptedModel extends ChatModel {
  readonly requests: ChatRequest[];
  readonly calls: number;
  readonly maxInFlight: number;
}

export function scriptedModel(steps: Step[], options: { endpoint?: string; provider?: string } = {}): ScriptedModel {
  const requests: ChatRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    provider: options.provider ?? 'scripted',
    endpoint: options.endpoint ?? `scripted-${Math.random().toString(36).slice(2)}`,
    capabilities: { nativeJsonSchema: true, tools: false, streaming: false },
    get requests() {
      return requests;
    },
    get calls() {
      return requests.length;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const step = steps[Math.min(requests.length, steps.length - 1)];
      requests.push(request);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (!step) throw new Error('empty script');
        if ('error' in step) throw step.error;
        if ('hang' in step) {
          await new Promise((_resolve, reject) => request.signal?.addEventListener('abort', () => reject(request.signal?.reason), { once: true }));
        }
        if ('delayMs' in step) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
        const text = 'text' in step ? step.text : '';
        return { text, usage: { promptTokens: 100, completionTokens: 20, estimated: false }, model: request.model };
      } finally {
        inFlight -= 1;
      }
    },
  };
}

export function providerError(
  code: ProviderErrorCode,
  options: { retryable: boolean; status?: number; retryAfterMs?: number; endpoint?: string },
): ProviderError {
  return new ProviderError(code, `scripted ${code}`, { endpoint: options.endpoint ?? 'scripted', ...options });
}

export const rateLimited = (retryAfterMs?: number): ProviderError =>
  providerError('PROVIDER_RATE_LIMITED', { retryable: true, status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
export const unavailable = (): ProviderError => providerError('PROVIDER_UNAVAILABLE', { retryable: true, status: 503 });
export const unauthorized = (): ProviderError => providerError('PROVIDER_AUTH', { retryable: false, status: 401 });

/** A minimal request for an action call, labelled as the runtime labels it. */
export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    label: 'role "pm", action "write_prd"',
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are the product manager.' },
      { role: 'user', content: 'Write the PRD for a todo app.' },
    ],
    ...overrides,
  };
}
