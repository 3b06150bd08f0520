import type Anthropic from '@anthropic-ai/sdk';
import type { ChatRequest } from '../chat-model.js';

/** The Messages API body this provider sends (without `stream`, which the caller adds). */
export type AnthropicBody = Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'>;

/** How the reply of a forced tool is read back: the tool's name, and whether the schema was wrapped. */
export interface ForcedTool {
  name: string;
  /** The schema was not an object: the tool's input is `{ value: ... }` and the reply is `value`. */
  wrapped: boolean;
}

export const TOOL_DESCRIPTION = 'Reply by calling this tool with the output';

/**
 * Maps a ChatRequest to a Messages API body. System messages go to `system`; consecutive turns of
 * the same role are merged (the API requires user/assistant alternation). `temperature` is not
 * sent: API version 2026-10-21 (the one SDK 1.x speaks) rejects every sampling parameter with 400.
 */
export function buildBody(request: ChatRequest, maxTokens: number): { body: AnthropicBody; tool: ForcedTool | undefined } {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const body: AnthropicBody = {
    model: request.model,
    max_tokens: request.maxTokens ?? maxTokens,
    messages: mergeTurns(request.messages),
    ...(system ? { system } : {}),
  };
  if (!request.responseSchema) return { body, tool: undefined };
  const tool = forcedTool(request.responseSchema.name, request.responseSchema.schema);
  body.tools = [{ name: tool.name, description: TOOL_DESCRIPTION, input_schema: inputSchema(request.responseSchema.schema, tool.wrapped) }];
  body.tool_choice = { type: 'tool', name: tool.name };
  return { body, tool };
}

/** User and assistant turns in order, consecutive same-role turns joined by a blank line. */
export function mergeTurns(messages: ChatRequest['messages']): Anthropic.MessageParam[] {
  const turns: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last && last.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else turns.push({ role: message.role, content: message.content });
  }
  return turns;
}

function forcedTool(schemaName: string, schema: Record<string, unknown>): ForcedTool {
  // Tool names must match ^[a-zA-Z0-9_-]{1,64}$.
  const name = schemaName.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return { name: name || 'respond', wrapped: schema.type !== 'object' };
}

/** `input_schema` must be an object schema: anything else is wrapped as `{ value: schema }`. */
function inputSchema(schema: Record<string, unknown>, wrapped: boolean): Anthropic.Tool.InputSchema {
  if (!wrapped) return schema as Anthropic.Tool.InputSchema;
  // Definitions move to the wrapper's root so `#/$defs/...` references still resolve.
  const { $defs, definitions, $schema, ...inner } = schema;
  return {
    type: 'object',
    properties: { value: inner },
    required: ['value'],
    ...($schema !== undefined ? { $schema } : {}),
    ...($defs !== undefined ? { $defs } : {}),
    ...(definitions !== undefined ? { definitions } : {}),
  };
}

/** The reply text of a forced tool's input: the JSON the runtime validates. */
export function toolReplyText(input: unknown, tool: ForcedTool): string {
  const value = tool.wrapped && input !== null && typeof input === 'object' ? (input as Record<string, unknown>).value : input;
  return JSON.stringify(value ?? null);
}
