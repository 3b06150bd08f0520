import type { ChatRequest, TokenUsage, ToolCall } from '../chat-model.js';
import { messageText, replyText } from '../message-text.js';
import { countInPieces } from '../token-count.js';

/** Token counts as the API reports them; either may be missing (a proxy, a cut stream). */
export interface ReportedUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

/**
 * The usage of a call: as reported when the API sent both counts, else estimated with the
 * GPT tokenizer (close enough for cost display) and marked `estimated`. The tokenizer is loaded
 * only then: its import costs ~150 ms.
 */
export async function usageOf(reported: ReportedUsage, request: ChatRequest, text: string, toolCalls: readonly ToolCall[] = []): Promise<TokenUsage> {
  if (reported.inputTokens !== undefined && reported.outputTokens !== undefined) {
    return { promptTokens: reported.inputTokens, completionTokens: reported.outputTokens, estimated: false };
  }
  const { countTokens } = await import('gpt-tokenizer');
  const count = (part: string): number => countInPieces((piece) => countTokens(piece), part);
  return {
    promptTokens: reported.inputTokens ?? count(request.messages.map(messageText).join('\n')),
    completionTokens: reported.outputTokens ?? count(replyText(text, toolCalls)),
    estimated: true,
  };
}

/** Reads a count that may be absent or null on the wire. */
export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
