import type { ChatModel, ChatRequest, ChatResponse, TokenUsage } from '../../../src/providers/chat-model.js';
import type { OfflineHints } from '../../../src/providers/offline/hints.js';

export type ScriptedAnswer = string | { text: string; usage?: Partial<TokenUsage>; costUsd?: number; cached?: 'cache' | 'replay' };

/** A ChatModel that answers from a function (or a list, in call order) and records every request. */
export interface ScriptedModel extends ChatModel {
  readonly requests: ChatRequest[];
}

export function scriptedModel(answer: ScriptedAnswer[] | ((request: ChatRequest, index: number) => ScriptedAnswer)): ScriptedModel {
  const requests: ChatRequest[] = [];
  return {
    provider: 'scripted',
    capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
    requests,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const index = requests.length;
      requests.push(request);
      const next = typeof answer === 'function' ? answer(request, index) : answer[index];
      if (next === undefined) throw new Error(`scripted model has no answer for call ${index + 1}`);
      const { text, usage, costUsd, cached } = typeof next === 'string' ? { text: next, usage: undefined, costUsd: undefined, cached: undefined } : next;
      return {
        text,
        model: request.model,
        usage: { promptTokens: usage?.promptTokens ?? 10, completionTokens: usage?.completionTokens ?? 5, estimated: usage?.estimated ?? false },
        ...(costUsd === undefined ? {} : { costUsd }),
        ...(cached === undefined ? {} : { cached }),
      };
    },
  };
}

/** The user prompt of a request (the second message). */
export function userPrompt(request: ChatRequest): string {
  return request.messages.find((message) => message.role === 'user')?.content ?? '';
}

/** The offline hints the runtime gave a request: what the call is for (the runtime always sets them). */
export function hintsOf(request: ChatRequest): OfflineHints {
  const hints = request.providerOptions?.offline;
  if (!hints) throw new Error('the request carries no offline hints');
  return hints;
}

/** The hints of an action's call (not a choice, plan or judge), else undefined. */
export function actionHints(request: ChatRequest): Extract<OfflineHints, { kind: 'action' }> | undefined {
  const hints = hintsOf(request);
  return hints.kind === 'action' ? hints : undefined;
}
