import Anthropic from '@anthropic-ai/sdk';
import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { DEFAULT_ANTHROPIC_BASE_URL } from '../endpoint-url.js';
import { finishReasonOf } from '../finish-reason.js';
import { missingKeyError } from '../missing-key.js';
import { toProviderError, type ErrorContext } from './errors.js';
import { partsOfMessage, partsOfStream, replyText, type ReplyParts } from './reply.js';
import { buildBody } from './request.js';
import { usageOf } from './usage.js';
import { withCutReply } from '../cut-reply.js';
import { cappedFetch, replyTooLargeError } from '../reply-cap.js';

const DEFAULT_MAX_TOKENS = 8192;

export interface AnthropicProviderOptions {
  /** The provider's name in config (`anthropic`), the first word of `endpoint`. */
  name: string;
  /** Required for calls; a model without one fails each call with PROVIDER_AUTH before any request. */
  apiKey?: string;
  /** Default `https://api.anthropic.com` (the SDK adds `/v1/messages`). */
  baseURL?: string;
  /** Stream replies over SSE (default true); `onDelta` only fires when streaming. */
  stream?: boolean;
  /** `max_tokens` when the request sets none (default 8192): the API requires it. */
  defaultMaxTokens?: number;
}

/**
 * A ChatModel over the Anthropic Messages API through `@anthropic-ai/sdk` (no SDK retries: the
 * resilience layer retries). Structured output is a tool whose input is the reply (forced, or offered
 * beside the user's tools); the user's tools are `tool_use` / `tool_result` blocks (turns.ts).
 */
export function createAnthropicModel(options: AnthropicProviderOptions): ChatModel {
  const baseURL = (options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${options.name} ${baseURL}`;
  const streaming = options.stream ?? true;
  const maxTokens = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  let client: Anthropic | undefined;

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const apiKey = options.apiKey;
    if (!apiKey) throw missingKeyError(options.name, endpoint);
    // baseURL and apiKey are always passed, so the SDK reads neither from the environment.
    // A reply past LIMITS.replyBytes fails instead of filling memory.
    client ??= new Anthropic({ apiKey, baseURL, maxRetries: 0, fetch: cappedFetch() });
    const context: ErrorContext = { endpoint, baseURL, model: request.model, apiKey, signal: request.signal };
    const { body, tool } = buildBody(request, maxTokens);
    const callOptions = request.signal ? { signal: request.signal } : {};
    let parts: ReplyParts;
    // The counts a stream sent before it failed: a cut reply is billed.
    const seen: Parameters<typeof partsOfStream>[3] = {};
    try {
      if (streaming) {
        const stream = await client.messages.create({ ...body, stream: true }, callOptions);
        // The SDK ends a stream quietly when the signal aborts; partsOfStream then finds no message_stop.
        parts = await partsOfStream(stream, tool, request.onDelta, seen);
      } else {
        parts = partsOfMessage(await client.messages.create({ ...body, stream: false }, callOptions), tool);
      }
    } catch (error) {
      throw withCutReply(replyTooLargeError(error, endpoint) ?? toProviderError(error, context), seen);
    }
    const text = replyText(parts, tool);
    return {
      text,
      ...(parts.toolCalls.length > 0 ? { toolCalls: parts.toolCalls } : {}),
      usage: await usageOf(parts.usage, request, text, parts.toolCalls),
      model: parts.model || request.model,
      finishReason: finishReasonOf(parts.stopReason, parts.toolCalls.length > 0),
    };
  }

  return {
    provider: 'anthropic',
    endpoint,
    capabilities: { nativeJsonSchema: true, tools: true, streaming: true },
    complete,
  };
}
