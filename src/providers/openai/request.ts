/** Maps the runtime's ChatRequest to the Chat Completions wire body. */

import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../chat-model.js';

export function streamingBody(request: ChatRequest): ChatCompletionCreateParamsStreaming {
  return { ...baseBody(request), stream: true, stream_options: { include_usage: true } };
}

export function nonStreamingBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  return baseBody(request);
}

function baseBody(request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
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
  return body;
}

/** The API accepts names matching [a-zA-Z0-9_-]{1,64}; anything else is a 400. */
export function schemaName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'output';
}
