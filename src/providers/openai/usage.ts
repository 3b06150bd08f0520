/** Token usage when the server reports none: counted with gpt-tokenizer and marked `estimated`. */

import type { ChatRequest, TokenUsage, ToolCall } from '../chat-model.js';
import { messageText, replyText } from '../message-text.js';
import { countInPieces } from '../token-count.js';

type Encode = (text: string) => number[];
let encoder: Promise<Encode> | undefined;

/** Loaded on first need: the tokenizer's tables take a moment to load and most servers report usage. */
function loadEncoder(): Promise<Encode> {
  encoder ??= import('gpt-tokenizer').then((module) => module.encode as Encode);
  return encoder;
}

export async function estimateUsage(request: ChatRequest, text: string, toolCalls: readonly ToolCall[] = []): Promise<TokenUsage> {
  const encode = await loadEncoder();
  const prompt = request.messages.map(messageText).join('\n');
  const count = (part: string): number => countInPieces((piece) => encode(piece).length, part);
  return { promptTokens: count(prompt), completionTokens: count(replyText(text, toolCalls)), estimated: true };
}
