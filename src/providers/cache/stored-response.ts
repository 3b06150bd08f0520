import type { ChatResponse } from '../chat-model.js';

/** The part of a response worth keeping on disk: no cost (a stored answer costs nothing again), no flags. */
export interface StoredResponse {
  text: string;
  usage: { promptTokens: number; completionTokens: number; estimated: boolean };
  model: string;
}

export function toStoredResponse(response: ChatResponse): StoredResponse {
  return {
    text: response.text,
    usage: { promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens, estimated: response.usage.estimated },
    model: response.model,
  };
}

/** Checks the shape of a response read back from disk; undefined when it is not one. */
export function readStoredResponse(value: unknown): StoredResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { text, usage, model } = value as Record<string, unknown>;
  if (typeof text !== 'string' || typeof model !== 'string' || typeof usage !== 'object' || usage === null) return undefined;
  const { promptTokens, completionTokens, estimated } = usage as Record<string, unknown>;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number') return undefined;
  return { text, model, usage: { promptTokens, completionTokens, estimated: estimated === true } };
}

/** A stored answer handed back without a live call. */
export function servedResponse(stored: StoredResponse, cached: 'cache' | 'replay'): ChatResponse {
  return { text: stored.text, usage: { ...stored.usage }, model: stored.model, costUsd: 0, cached };
}
