import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { usdFor } from './estimate.js';
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
    const response = await model.complete(request);
    if (response.cached) return { ...response, costUsd: 0 };
    const price = configured ?? priceFor(options.prices, provider, response.model);
    if (!price) {
      const { costUsd: _unknown, ...rest } = response;
      return rest;
    }
    return { ...response, costUsd: usdFor(price, response.usage.promptTokens, response.usage.completionTokens) };
  }

  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}
