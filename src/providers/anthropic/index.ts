import Anthropic from '@anthropic-ai/sdk';
import { SDK_NO_TIMEOUT_MS, type ChatModel, type ChatRequest, type ChatResponse } from '../chat-model.js';
import { DEFAULT_ANTHROPIC_BASE_URL, splitQuery } from '../endpoint-url.js';
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
  /** Told once of each warning the SDK gives (a deprecated model); default console.warn, once. */
  onWarning?: (message: string) => void;
}

/**
 * A ChatModel over the Anthropic Messages API through `@anthropic-ai/sdk` (no SDK retries: the
 * resilience layer retries). Structured output is a tool whose input is the reply (forced, or offered
 * beside the user's tools); the user's tools are `tool_use` / `tool_result` blocks (turns.ts).
 */
export function createAnthropicModel(options: AnthropicProviderOptions): ChatModel {
  const baseURL = (options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${options.name} ${baseURL}`;
  // A query (`?api-version=...`) goes on every request, not before the SDK's path.
  const { base, query } = splitQuery(baseURL);
  const streaming = options.stream ?? true;
  const maxTokens = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  let client: Anthropic | undefined;
  const warned = new Set<string>();
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  /**
   * The SDK console.warns on every call of a deprecated model, inside the progress lines: its
   * warning is said once instead, through onWarning. `create` warns before it returns its promise,
   * so the swap of console.warn covers only this synchronous stretch, no one else's code.
   */
  function quietly<T>(create: () => T): T {
    const said: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void said.push(args.map(String).join(' '));
    try {
      return create();
    } finally {
      console.warn = warn;
      for (const text of said) {
        const message = `${endpoint}: ${text.replace(/\s*\n\s*/g, '. ')}`;
        if (!warned.has(message)) onWarning(message);
        warned.add(message);
      }
    }
  }

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const apiKey = options.apiKey;
    if (!apiKey) throw missingKeyError(options.name, endpoint);
    // baseURL and apiKey are always passed, so the SDK reads neither from the environment; nor
    // ANTHROPIC_LOG: its logs (request bodies, on stdout) would break --json and bypass the mask.
    // Its 10-minute default timeout would cut a longer `timeout`: the signal is the call's deadline.
    // A reply past LIMITS.replyBytes fails instead of filling memory.
    client ??= new Anthropic({ apiKey, baseURL: base, ...(query ? { defaultQuery: query } : {}), maxRetries: 0, timeout: SDK_NO_TIMEOUT_MS, logLevel: 'off', fetch: cappedFetch() });
    const context: ErrorContext = { endpoint, baseURL: base, model: request.model, apiKey, signal: request.signal };
    const { body, tool } = buildBody(request, maxTokens);
    const callOptions = request.signal ? { signal: request.signal } : {};
    let parts: ReplyParts;
    // The counts a stream sent before it failed: a cut reply is billed.
    const seen: Parameters<typeof partsOfStream>[3] = {};
    try {
      if (streaming) {
        const stream = await quietly(() => (client as Anthropic).messages.create({ ...body, stream: true }, callOptions));
        // The SDK ends a stream quietly when the signal aborts; partsOfStream then finds no message_stop.
        parts = await partsOfStream(stream, tool, request.onDelta, seen);
      } else {
        parts = partsOfMessage(await quietly(() => (client as Anthropic).messages.create({ ...body, stream: false }, callOptions)), tool);
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
