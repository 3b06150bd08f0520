import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage, TokenUsage, ToolCall } from '../chat-model.js';
import { messageText, replyText } from '../message-text.js';
import { countInPieces } from '../token-count.js';

/** The token counts Ollama puts on its final (`done: true`) reply. */
export interface OllamaCounts {
  prompt_eval_count?: number | undefined;
  eval_count?: number | undefined;
}

/**
 * Usage from Ollama's counts. Ollama leaves `prompt_eval_count` out when the prompt was cached, and
 * proxies may drop both: a missing count is estimated with gpt-tokenizer and the usage marked so.
 */
export function usageFromCounts(counts: OllamaCounts, messages: ChatMessage[], text: string, toolCalls: readonly ToolCall[] = []): TokenUsage {
  const prompt = validCount(counts.prompt_eval_count);
  const completion = validCount(counts.eval_count);
  return {
    promptTokens: prompt ?? estimateTokens(messages.map(messageText).join('\n')),
    completionTokens: completion ?? estimateTokens(replyText(text, toolCalls)),
    estimated: prompt === undefined || completion === undefined,
  };
}

/** A count as sent, when it is one (a proxy may send null or nothing). */
export function validCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Token estimate; special-token text (`<|endoftext|>`) in prompts is counted, never rejected. */
function estimateTokens(text: string): number {
  return text ? countInPieces((piece) => countTokens(piece, { disallowedSpecial: new Set() }), text) : 0;
}
