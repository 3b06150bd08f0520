/** Maps the runtime's ChatRequest to the Chat Completions wire body. */

import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ChatMessage, ChatRequest } from '../chat-model.js';

export function streamingBody(request: ChatRequest): ChatCompletionCreateParamsStreaming {
  return { ...baseBody(request), stream: true, stream_options: { include_usage: true } };
}

export function nonStreamingBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  return baseBody(request);
}

function baseBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    messages: request.messages.map(wireMessage),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_completion_tokens = request.maxTokens;
  if (request.responseSchema) {
    body.response_format = {
      type: 'json_schema',
      // strict: false: strict mode accepts only a subset of JSON Schema; replies are validated anyway.
      json_schema: { name: schemaName(request.responseSchema.name), schema: request.responseSchema.schema, strict: false },
    };
  }
  // An empty `tools` array and a `tool_choice` without tools are both 400s: send them only with tools.
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): ChatCompletionTool => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }),
    );
    if (request.toolChoice === 'none') body.tool_choice = 'none';
  }
  return body;
}

function wireMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    return {
      role: 'assistant',
      // A turn that only calls tools has no text: OpenAI wants `null` there, not "".
      content: message.content === '' ? null : message.content,
      tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    };
  }
  return { role: message.role, content: message.content };
}

/** The API accepts names matching [a-zA-Z0-9_-]{1,64}; anything else is a 400. */
function schemaName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'output';
}
