import type { ChatResponse, FinishReason, ToolCall } from '../chat-model.js';

/** The part of a response worth keeping on disk: no cost (a stored answer costs nothing again), no flags. */
export interface StoredResponse {
  text: string;
  /** Present only when the model asked for tool calls (entries written before tools have none). */
  toolCalls?: ToolCall[];
  usage: { promptTokens: number; completionTokens: number; estimated: boolean };
  model: string;
  /** Why the model stopped, when not `stop` (entries without it, older ones too, ended with `stop`). */
  finishReason?: FinishReason;
}

export function toStoredResponse(response: ChatResponse): StoredResponse {
  return {
    text: response.text,
    ...(response.toolCalls && response.toolCalls.length > 0
      ? { toolCalls: response.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })) }
      : {}),
    usage: { promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens, estimated: response.usage.estimated },
    model: response.model,
    ...(response.finishReason && response.finishReason !== 'stop' ? { finishReason: response.finishReason } : {}),
  };
}

/** Checks the shape of a response read back from disk; undefined when it is not one. */
export function readStoredResponse(value: unknown): StoredResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { text, usage, model, toolCalls, finishReason } = value as Record<string, unknown>;
  if (typeof text !== 'string' || typeof model !== 'string' || typeof usage !== 'object' || usage === null) return undefined;
  const { promptTokens, completionTokens, estimated } = usage as Record<string, unknown>;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number') return undefined;
  const calls = readToolCalls(toolCalls);
  if (calls === null) return undefined;
  return {
    text,
    ...(calls && calls.length > 0 ? { toolCalls: calls } : {}),
    model,
    usage: { promptTokens, completionTokens, estimated: estimated === true },
    ...(typeof finishReason === 'string' && finishReason !== '' ? { finishReason } : {}),
  };
}

/** undefined when absent, null when present but not a list of `{id, name, arguments}` strings. */
function readToolCalls(value: unknown): ToolCall[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return null;
  const calls: ToolCall[] = [];
  for (const item of value as unknown[]) {
    const { id, name, arguments: args } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof args !== 'string') return null;
    calls.push({ id, name, arguments: args });
  }
  return calls;
}

/** A stored answer handed back without a live call. */
export function servedResponse(stored: StoredResponse, cached: 'cache' | 'replay'): ChatResponse {
  return {
    text: stored.text,
    ...(stored.toolCalls ? { toolCalls: stored.toolCalls.map((call) => ({ ...call })) } : {}),
    usage: { ...stored.usage },
    model: stored.model,
    // Stored only when not `stop`: a hit reads like the live answer it was.
    finishReason: stored.finishReason ?? 'stop',
    costUsd: 0,
    cached,
  };
}
