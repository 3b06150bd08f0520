/**
 * What a reply cut off mid-stream is billed. The provider bills the tokens it generated before the
 * cut (and the whole prompt), so a caller counting usage and budgets must count them too: the
 * counts the provider sent where it sent them, the rest estimated from the prompt and the text
 * received, and then marked `estimated`.
 */

import type { ChatRequest, TokenUsage } from './chat-model.js';
import { messageText } from './message-text.js';
import { isProviderError } from './provider-error.js';

/**
 * The usage of a failed attempt that had received output (`received`, the text deltas) or token
 * counts; undefined when nothing arrived (a refused or unanswered request costs nothing).
 */
export async function cutReplyUsage(error: unknown, request: ChatRequest, received: string): Promise<TokenUsage | undefined> {
  const reported = isProviderError(error) ? error.reportedUsage : undefined;
  if (received === '' && reported?.completionTokens === undefined) return undefined;
  // Loaded only here: most calls never fail mid-stream, and the tokenizer's tables take a moment.
  const countTokens = reported?.promptTokens !== undefined && reported.completionTokens !== undefined ? undefined : (await import('gpt-tokenizer')).countTokens;
  const count = (text: string): number => (text === '' || !countTokens ? 0 : countTokens(text, { disallowedSpecial: new Set() }));
  return {
    promptTokens: reported?.promptTokens ?? count(request.messages.map(messageText).join('\n')),
    completionTokens: reported?.completionTokens ?? count(received),
    estimated: reported?.promptTokens === undefined || reported.completionTokens === undefined,
  };
}

/** The error, with the counts its provider sent before the reply was cut (those it did send) noted on it. */
export function withReportedUsage(error: unknown, reported: { promptTokens?: number | undefined; completionTokens?: number | undefined } | undefined): unknown {
  if (!isProviderError(error) || !reported) return error;
  const counts: NonNullable<typeof error.reportedUsage> = {};
  if (reported.promptTokens !== undefined) counts.promptTokens = reported.promptTokens;
  if (reported.completionTokens !== undefined) counts.completionTokens = reported.completionTokens;
  if (Object.keys(counts).length > 0) error.reportedUsage = counts;
  return error;
}
