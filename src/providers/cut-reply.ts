/**
 * What a reply cut off mid-stream is billed. The provider bills the tokens it generated before the
 * cut (and the whole prompt), so a caller counting usage and budgets must count them too: the
 * counts the provider sent where it sent them, the rest estimated from the prompt and the text
 * received, and then marked `estimated`.
 */

import type { ChatRequest, TokenUsage } from './chat-model.js';
import { messageText } from './message-text.js';
import { countInPieces } from './token-count.js';
import { isProviderError } from './provider-error.js';

/**
 * The usage of a failed attempt that had received output (`received`, the text deltas, and what the
 * provider noted on the error) or token counts; undefined when nothing arrived (a refused or
 * unanswered request costs nothing).
 */
export async function cutReplyUsage(error: unknown, request: ChatRequest, received: string): Promise<TokenUsage | undefined> {
  const cut = isProviderError(error) ? error.cutReply : undefined;
  const output = [received, cut?.unstreamed ?? ''].filter((part) => part !== '').join('\n');
  if (output === '' && cut?.completionTokens === undefined) return undefined;
  const reported = cut?.promptTokens !== undefined && cut.completionTokens !== undefined;
  // Loaded only here: most calls never fail mid-stream, and the tokenizer's tables take a moment.
  const countTokens = reported ? undefined : (await import('gpt-tokenizer')).countTokens;
  const count = (text: string): number => (text === '' || !countTokens ? 0 : countInPieces((piece) => countTokens(piece, { disallowedSpecial: new Set() }), text));
  return {
    promptTokens: cut?.promptTokens ?? count(request.messages.map(messageText).join('\n')),
    completionTokens: cut?.completionTokens ?? count(output),
    estimated: !reported,
  };
}

/** The error, with what its provider had sent of the cut reply (counts, output not streamed) noted on it. */
export function withCutReply(error: unknown, sent: { promptTokens?: number | undefined; completionTokens?: number | undefined; unstreamed?: string | undefined }): unknown {
  if (!isProviderError(error)) return error;
  const cut: NonNullable<typeof error.cutReply> = {};
  if (sent.promptTokens !== undefined) cut.promptTokens = sent.promptTokens;
  if (sent.completionTokens !== undefined) cut.completionTokens = sent.completionTokens;
  if (sent.unstreamed) cut.unstreamed = sent.unstreamed;
  if (Object.keys(cut).length > 0) error.cutReply = cut;
  return error;
}
