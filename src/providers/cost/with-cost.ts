import type { ChatModel, ChatRequest, ChatResponse, TokenUsage } from '../chat-model.js';
import { replyText } from '../message-text.js';
import { estimatePromptTokens, estimateTextTokens, usdFor } from './estimate.js';
import { priceFor, priceForKey, type PriceTable } from './price-table.js';

export interface CostOptions {
  prices: PriceTable;
  /** The configured model, `provider:model` (`openai:gpt-4o-mini`). */
  modelKey: string;
}

/**
 * Sets `costUsd` on every response from its token usage: the configured model's price, else the
 * price of the model the provider says answered; no price → `costUsd` stays undefined (the caller
 * warns with `unknownPriceWarning`). A response that made no live call costs 0.
 */
export function withCost(model: ChatModel, options: CostOptions): ChatModel {
  const configured = priceForKey(options.prices, options.modelKey);
  const provider = options.modelKey.includes(':') ? options.modelKey.slice(0, options.modelKey.indexOf(':')) : model.provider;

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const answered = await model.complete(request);
    if (answered.cached) return { ...answered, costUsd: 0 };
    const response = { ...answered, usage: believableUsage(answered.usage, request, answered) };
    const price = configured ?? priceFor(options.prices, provider, response.model);
    if (!price) {
      const { costUsd: _unknown, ...rest } = response;
      return rest;
    }
    return { ...response, costUsd: usdFor(price, response.usage.promptTokens, response.usage.completionTokens) };
  }

  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}

/**
 * A count of 0 for a prompt or a reply that had text is no count: gateways that do not know the
 * usage send zeros. Believed, the call would cost $0 and never count against a budget; it is
 * estimated instead, and marked so.
 */
function believableUsage(usage: TokenUsage, request: ChatRequest, response: ChatResponse): TokenUsage {
  const reply = replyText(response.text, response.toolCalls ?? []);
  const noPrompt = usage.promptTokens === 0 && request.messages.some((message) => message.content !== '');
  const noReply = usage.completionTokens === 0 && reply !== '';
  if (!noPrompt && !noReply) return usage;
  return {
    promptTokens: noPrompt ? estimatePromptTokens(request.messages, request.responseSchema) : usage.promptTokens,
    completionTokens: noReply ? estimateTextTokens(reply) : usage.completionTokens,
    estimated: true,
  };
}
