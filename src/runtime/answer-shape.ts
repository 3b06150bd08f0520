import type { ChatResponse } from '../providers/chat-model.js';

/**
 * What is wrong with a model's reply, or undefined when it keeps the `ChatResponse` contract. The
 * built-in providers always keep it; a library user's own `ChatModel` may not (no usage, text not a
 * string), and the run must then fail naming the field, not deep inside accounting with a TypeError.
 */
export function answerMisfit(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return `the reply is ${describe(response)}, not an object`;
  const reply = response as Partial<Record<keyof ChatResponse, unknown>>;
  if (typeof reply.text !== 'string') return `"text" is ${describe(reply.text)}, not a string`;
  if (typeof reply.model !== 'string') return `"model" is ${describe(reply.model)}, not a string`;
  if (reply.toolCalls !== undefined && !Array.isArray(reply.toolCalls)) return `"toolCalls" is ${describe(reply.toolCalls)}, not an array`;
  const usage = reply.usage;
  if (typeof usage !== 'object' || usage === null) return `"usage" is ${describe(usage)}, not an object`;
  const counts = usage as Record<string, unknown>;
  for (const field of ['promptTokens', 'completionTokens']) {
    const count = counts[field];
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) return `"usage.${field}" is ${describe(count)}, not a number of tokens (0 or more)`;
  }
  if (typeof counts.estimated !== 'boolean') return `"usage.estimated" is ${describe(counts.estimated)}, not true or false`;
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
