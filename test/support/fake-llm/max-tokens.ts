/**
 * `max_tokens` as the real servers apply it: an answer longer than the limit is cut there and the
 * reply says so (`finish_reason: length`, `stop_reason: max_tokens`, `done_reason: length`).
 * Tokens are the fake servers' count, one per 4 characters.
 */
export function cutAtMaxTokens(text: string, maxTokens: unknown): { text: string; cut: boolean } {
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return { text, cut: false };
  const chars = maxTokens * 4;
  return text.length > chars ? { text: text.slice(0, chars), cut: true } : { text, cut: false };
}
