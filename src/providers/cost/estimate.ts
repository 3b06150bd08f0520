import { createRequire } from 'node:module';
import type { ChatMessage } from '../chat-model.js';
import type { Price } from './price-table.js';
import { countInPieces } from '../token-count.js';

type Tokenizer = typeof import('gpt-tokenizer/model/gpt-4o');

const require = createRequire(import.meta.url);
let tokenizer: Tokenizer | undefined;

// Loaded on first use: the encoder tables take ~200 ms to load, which commands that never call a
// model (validate, graph) should not pay.
function loadTokenizer(): Tokenizer {
  tokenizer ??= require('gpt-tokenizer/model/gpt-4o') as Tokenizer;
  return tokenizer;
}

/**
 * Prompt tokens of a request, counted with the GPT-4o encoding (chat framing included). Exact for
 * OpenAI's current models, an estimate for others. A response schema sent natively counts too.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[], responseSchema?: { schema: Record<string, unknown> }): number {
  const { countTokens } = loadTokenizer();
  // The chat framing counted on empty messages, the contents in bounded time (token-count.ts).
  const framing = countTokens(messages.map((message) => ({ role: message.role, content: '' })));
  const contents = messages.reduce((sum, message) => sum + countInPieces(countTokens, message.content), 0);
  return framing + contents + (responseSchema ? countInPieces(countTokens, JSON.stringify(responseSchema.schema)) : 0);
}

/** Tokens of a piece of text (a reply), same encoding. */
export function estimateTextTokens(text: string): number {
  return countInPieces(loadTokenizer().countTokens, text);
}

/** USD a call may cost at most: its prompt plus `maxCompletionTokens` of reply. */
export function estimateCostUsd(price: Price, promptTokens: number, maxCompletionTokens: number): number {
  return usdFor(price, promptTokens, maxCompletionTokens);
}

/** USD for token counts at a price (USD per million tokens). */
export function usdFor(price: Price, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/** Dollars as people read them: cents for amounts of a cent or more, two significant digits below. */
export function usd(amount: number): string {
  if (amount === 0) return '$0';
  return `$${amount >= 0.01 ? amount.toFixed(2) : amount.toPrecision(2)}`;
}
