import type { ChatModel, ChatRequest, ChatResponse } from './chat-model.js';

/**
 * Gives each answer of `model` to `request.onAnswer` as soon as the layers below have completed it
 * (the provider read it whole, the cost layer priced it), before the layers above store it: the
 * cache writes its entry with several asynchronous steps, during which a killed process would
 * otherwise lose an answer it had already received and paid for.
 */
export function announceAnswers(model: ChatModel): ChatModel {
  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const response = await model.complete(request);
    // Waits for the journal's write (shared with the answers of the same turn) before any layer above sees it.
    await request.onAnswer?.(response);
    return response;
  }
  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}
