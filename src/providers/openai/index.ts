/**
 * The OpenAI-compatible provider: OpenAI itself and any server speaking Chat Completions
 * (Groq, OpenRouter, DeepSeek, vLLM, LM Studio, llama.cpp server) through the official SDK.
 * One attempt per call: retries, timeouts and breakers belong to the resilience layer.
 */

import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { finishReasonOf } from '../finish-reason.js';
import { createOpenAIClient } from './client.js';
import { missingKeyError } from '../missing-key.js';
import { toProviderError, toTransportError, type ErrorContext } from './errors.js';
import { OlderServerForms } from './older-servers.js';
import { nonStreamingBody, streamingBody } from './request.js';
import { readCompletion, readStream, type ReplyParts, type StreamSeen } from './stream.js';
import { replyText } from '../message-text.js';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { estimateUsage } from './usage.js';
import { withCutReply } from '../cut-reply.js';
import { replyTooLargeError } from '../reply-cap.js';

export interface OpenAIProviderOptions {
  /** Provider name as configured: `openai`, `groq`, ... (names the endpoint and the settings in hints). */
  name: string;
  /** Required for api.openai.com; optional for other base URLs (local servers). */
  apiKey?: string;
  /** OPENAI_BASE_URL semantics: the URL including `/v1`. Default https://api.openai.com/v1. */
  baseURL?: string;
  organization?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Stream replies (onDelta gets each text delta). Default true. */
  stream?: boolean;
}

export function createOpenAIModel(options: OpenAIProviderOptions): ChatModel {
  const { client, baseURL, endpoint, missingKey } = createOpenAIClient(options);
  const streaming = options.stream !== false;
  const olderForms = new OlderServerForms();

  async function call(request: ChatRequest, context: ErrorContext, seen: StreamSeen): Promise<ReplyParts> {
    const requestOptions = { signal: request.signal };
    if (streaming) {
      const { data: stream, response } = await olderForms.send(streamingBody(request), (body) => client.chat.completions.create(body, requestOptions).withResponse());
      // A server that ignores `stream: true` answers one JSON body: read it as such, rather than as
      // an event stream with no events (retried, then "ended early" with a hint to wait).
      if (isJsonResponse(response)) {
        const completion = await (response.json() as Promise<ChatCompletion>).catch((error: unknown) => {
          throw toTransportError(error, context, `the reply from ${endpoint} ended early or is not JSON`);
        });
        const reply = readCompletion(completion, context);
        if (reply.text.length > 0) request.onDelta?.(reply.text);
        return reply;
      }
      return readStream(stream, context, request.onDelta, seen);
    }
    const completion = await olderForms
      .send(nonStreamingBody(request), (body) => client.chat.completions.create(body, requestOptions))
      .catch((error: unknown) => {
        throw toTransportError(error, context, `the reply from ${endpoint} ended early or is not JSON`);
      });
    return readCompletion(completion, context);
  }

  return {
    provider: options.name,
    endpoint,
    capabilities: { nativeJsonSchema: true, tools: true, streaming },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      if (missingKey) throw missingKeyError(options.name, endpoint);
      const context: ErrorContext = { name: options.name, endpoint, baseURL, model: request.model, apiKey: options.apiKey, signal: request.signal };
      let reply: ReplyParts;
      // What a stream sent before it failed (usage, from servers sending it on every chunk; tool calls' arguments): a cut reply is billed.
      const seen: StreamSeen = {};
      try {
        reply = await call(request, context, seen);
      } catch (error) {
        throw withCutReply(replyTooLargeError(error, endpoint) ?? toProviderError(error, context), { ...seen.usage, unstreamed: replyText('', seen.toolCalls?.result()) });
      }
      const usage = reply.usage ? { ...reply.usage, estimated: false } : await estimateUsage(request, reply.text, reply.toolCalls);
      return {
        text: reply.text,
        ...(reply.toolCalls.length > 0 ? { toolCalls: reply.toolCalls } : {}),
        usage,
        model: reply.model ?? request.model,
        finishReason: finishReasonOf(reply.finishReason, reply.toolCalls.length > 0),
      };
    },
  };
}

/** A reply whose body is one JSON document (`application/json`), not server-sent events. */
function isJsonResponse(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim());
}
