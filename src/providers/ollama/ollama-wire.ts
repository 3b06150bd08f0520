/** Maps between the runtime's chat contract and Ollama's `/api/chat` body and replies. */

import type { ChatRequest as OllamaChatRequest, Message as OllamaMessage, ToolCall as OllamaToolCall } from 'ollama';
import type { ChatMessage, ChatRequest, ToolCall } from '../chat-model.js';
import { argumentsObject } from '../tool-names.js';

export function toWireRequest(request: ChatRequest): OllamaChatRequest {
  const modelOptions = {
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { num_predict: request.maxTokens }),
  };
  // Ollama has no `tool_choice`. For `none` the tools are left out: Ollama then neither shows
  // them to the model nor parses tool calls from its reply, and it accepts a history with tool
  // calls and tool results without them (the chat template renders those on its own).
  const offerTools = request.tools !== undefined && request.tools.length > 0 && request.toolChoice !== 'none';
  return {
    model: request.model,
    messages: request.messages.map(wireMessage),
    ...(offerTools
      ? { tools: request.tools?.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } })) }
      : {}),
    ...(Object.keys(modelOptions).length > 0 ? { options: modelOptions } : {}),
    ...(request.responseSchema ? { format: request.responseSchema.schema } : {}),
  };
}

function wireMessage(message: ChatMessage): OllamaMessage {
  if (message.role === 'tool') return { role: 'tool', content: message.content, tool_name: message.toolName };
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((call) => ({ function: { name: call.name, arguments: argumentsObject(call.arguments) } })),
    };
  }
  return { role: message.role, content: message.content };
}

/**
 * The reply's tool calls with their arguments as JSON text. The ids are always generated
 * (`call_<n>`, counting from 1 within the reply): older Ollama versions send none, and the id is
 * never sent back (Ollama matches a result to its tool by `tool_name`), so generated ids keep
 * requests, and their cache keys, the same from one run to the next.
 */
export function toolCallsOf(calls: readonly OllamaToolCall[] | undefined): ToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls
    .filter((call) => typeof call?.function?.name === 'string')
    .map((call, position) => ({ id: `call_${position + 1}`, name: call.function.name, arguments: argumentsText(call.function.arguments) }));
}

/** Arguments come as an object; a server that sends them as JSON text is taken at its word. */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value.trim() === '' ? '{}' : value;
  return JSON.stringify(value ?? {});
}
