import { Ollama, type ChatRequest as OllamaChatRequest, type ChatResponse as OllamaChatResponse, type ToolCall as OllamaToolCall } from 'ollama';
import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { DEFAULT_OLLAMA_HOST, splitQuery } from '../endpoint-url.js';
import { finishReasonOf } from '../finish-reason.js';
import { toProviderError, type OllamaCallContext } from './ollama-errors.js';
import { usageFromCounts, validCount, type OllamaCounts } from './ollama-usage.js';
import { withCutReply } from '../cut-reply.js';
import { replyText } from '../message-text.js';
import { toolCallsOf, toWireRequest } from './ollama-wire.js';
import { createRequestFetch } from './request-fetch.js';
import { replyTooLargeError } from '../reply-cap.js';

export interface OllamaProviderOptions {
  /** Provider name as configured (`ollama`, or a named Ollama endpoint). */
  name: string;
  /** Server URL; the caller resolves OLLAMA_HOST / config. Default http://127.0.0.1:11434. */
  host?: string;
  /** Extra headers (a proxy in front of Ollama). Ollama itself needs no key. */
  headers?: Record<string, string>;
  /** Stream replies as NDJSON (default true): `onDelta` sees text as it arrives. */
  stream?: boolean;
}

/**
 * A ChatModel over Ollama's `/api/chat` through the official SDK. JSON replies use Ollama's
 * structured outputs (`format: <JSON schema>`); tools are Ollama's `tools` and `tool_calls`
 * (ollama-wire.ts). Each call gets its own SDK client bound to the call's signal, so aborting
 * (or timing out) one call never cancels another.
 */
export function createOllamaModel(options: OllamaProviderOptions): ChatModel {
  const host = (options.host?.trim() || DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
  const endpoint = `${options.name} ${host}`;
  const stream = options.stream ?? true;
  const { query } = splitQuery(host);

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const requestFetch = createRequestFetch(request.signal, query);
    const client = new Ollama({ host, fetch: requestFetch.fetch, ...(options.headers ? { headers: options.headers } : {}) });
    const context = (): OllamaCallContext => ({
      name: options.name, host, endpoint, model: request.model, signal: request.signal, response: requestFetch.lastResponse(),
    });
    // The final chunk's counts and the tool calls, when the stream failed after them: a cut reply is billed.
    const seen: StreamSeen = {};
    try {
      request.signal?.throwIfAborted();
      const body = toWireRequest(request);
      const reply = stream ? await streamChat(client, body, request.onDelta, seen) : await client.chat({ ...body, stream: false });
      const text = reply.message?.content ?? '';
      const toolCalls = toolCallsOf(reply.message?.tool_calls);
      return {
        text,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        usage: usageFromCounts(reply, request.messages, text, toolCalls),
        model: reply.model || request.model,
        finishReason: finishReasonOf(reply.done_reason, toolCalls.length > 0),
      };
    } catch (error) {
      throw withCutReply(replyTooLargeError(error, endpoint) ?? toProviderError(error, context()), {
        promptTokens: validCount(seen.prompt_eval_count),
        completionTokens: validCount(seen.eval_count),
        unstreamed: replyText('', toolCallsOf(seen.toolCalls)),
      });
    }
  }

  return {
    provider: 'ollama',
    endpoint,
    capabilities: { nativeJsonSchema: true, tools: true, streaming: true },
    complete,
  };
}

/** What a stream had sent when it failed: the final chunk's counts, the tool calls. */
type StreamSeen = OllamaCounts & { toolCalls?: OllamaToolCall[] };

/**
 * Joins the NDJSON chunks; the SDK throws when the stream ends without `done: true`. Tool calls
 * come whole, in a chunk of their own or on the final one: all are kept, in order.
 */
async function streamChat(client: Ollama, body: OllamaChatRequest, onDelta: ((delta: string) => void) | undefined, seen: StreamSeen): Promise<OllamaChatResponse> {
  const chunks = await client.chat({ ...body, stream: true });
  let text = '';
  const toolCalls: OllamaToolCall[] = [];
  seen.toolCalls = toolCalls;
  let final: OllamaChatResponse | undefined;
  for await (const chunk of chunks) {
    const delta = chunk.message?.content ?? '';
    if (delta) {
      text += delta;
      onDelta?.(delta);
    }
    if (Array.isArray(chunk.message?.tool_calls)) toolCalls.push(...chunk.message.tool_calls);
    if (chunk.done) {
      final = chunk;
      seen.prompt_eval_count = chunk.prompt_eval_count;
      seen.eval_count = chunk.eval_count;
    }
  }
  if (!final) throw new Error('Did not receive done or success response in stream.');
  return { ...final, message: { ...final.message, role: 'assistant', content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } };
}
