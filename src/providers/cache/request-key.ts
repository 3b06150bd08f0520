import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest, ToolSpec } from '../chat-model.js';

/**
 * What identifies a request for the cache and cassettes: the provider and the body the model sees.
 * Never the signal, callbacks, label, `providerOptions` (read only by the offline model, which is
 * never cached or recorded) or anything carrying credentials.
 */
export interface RequestKeyFields {
  provider: string;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  responseSchema?: { name: string; schema: Record<string, unknown> };
  /** The tools offered, in order; absent when none (so keys of requests without tools never changed). */
  tools?: ToolSpec[];
  /** Only `none` (with tools): `auto` is the default and keyed like an absent choice. */
  toolChoice?: 'none';
}

/** The key fields of a request; `providerKey` names the provider (`openai`, `groq`, ...). */
export function requestKeyFields(providerKey: string, request: ChatRequest): RequestKeyFields {
  const tools = request.tools && request.tools.length > 0 ? request.tools : undefined;
  return {
    provider: providerKey,
    model: request.model,
    messages: request.messages.map(keyMessage),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
    ...(request.responseSchema === undefined ? {} : { responseSchema: { name: request.responseSchema.name, schema: request.responseSchema.schema } }),
    ...(tools ? { tools: tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })) } : {}),
    ...(tools && request.toolChoice === 'none' ? { toolChoice: 'none' as const } : {}),
  };
}

/**
 * A message's keyed fields, only those the wire carries: a turn without tool calls keys as
 * `{role, content}`, as before tools existed, so older cache entries and cassettes still match.
 */
function keyMessage(message: ChatMessage): ChatMessage {
  if (message.role === 'tool') {
    return {
      role: 'tool',
      toolCallId: message.toolCallId,
      toolName: message.toolName,
      content: message.content,
      ...(message.isError ? { isError: true } : {}),
    };
  }
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    return { role: 'assistant', content: message.content, toolCalls: message.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })) };
  }
  return { role: message.role, content: message.content };
}

/** sha256 (hex) of the canonical JSON of the request's key fields. */
export function requestKey(providerKey: string, request: ChatRequest): string {
  return hashKeyFields(requestKeyFields(providerKey, request));
}

export function hashKeyFields(fields: RequestKeyFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** JSON with object keys sorted at every level and `undefined` members left out: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}
