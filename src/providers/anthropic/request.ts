import type Anthropic from '@anthropic-ai/sdk';
import type { ChatRequest } from '../chat-model.js';
import { mergeTurns } from './turns.js';

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
 *
 * Structured output is a tool whose input is the reply (the output tool). Without user tools it
 * is forced. With user tools it is offered beside them and `tool_choice` is `any`: the model
 * either calls tools or gives its final answer through the output tool, never loose text. With
 * `toolChoice: none` the output tool is forced (a plain text reply gets `{type: none}`).
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
  const userTools = (request.tools ?? []).map((tool): Anthropic.Tool => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Anthropic.Tool.InputSchema,
  }));
  const none = request.toolChoice === 'none';
  if (!request.responseSchema) {
    if (userTools.length > 0) {
      body.tools = userTools;
      if (none) body.tool_choice = { type: 'none' };
    }
    return { body, tool: undefined };
  }
  const tool = forcedTool(request.responseSchema.name, request.responseSchema.schema, userTools.map((userTool) => userTool.name));
  const outputTool: Anthropic.Tool = { name: tool.name, description: TOOL_DESCRIPTION, input_schema: inputSchema(request.responseSchema.schema, tool.wrapped) };
  body.tools = [...userTools, outputTool];
  body.tool_choice = userTools.length > 0 && !none ? { type: 'any' } : { type: 'tool', name: tool.name };
  return { body, tool };
}

/** Tool names must match ^[a-zA-Z0-9_-]{1,64}$ and differ from the user tools' names. */
function forcedTool(schemaName: string, schema: Record<string, unknown>, taken: readonly string[]): ForcedTool {
  const cleaned = schemaName.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'respond';
  let name = cleaned;
  for (let n = 2; taken.includes(name); n += 1) name = `${cleaned.slice(0, 56)}_output${n === 2 ? '' : n}`;
  return { name, wrapped: schema.type !== 'object' };
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
