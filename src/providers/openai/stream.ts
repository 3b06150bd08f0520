/** Reads Chat Completions replies (streamed chunks or one JSON body) into text, tool calls, usage and model. */

import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ToolCall } from '../chat-model.js';
import type { ErrorContext } from './errors.js';
import { abortError, toTransportError, unavailable } from './errors.js';
import { ToolCallAssembler, toolCallsOfMessage } from './tool-calls.js';

export interface ReplyParts {
  text: string;
  /** Empty when the model answered without calling a tool. */
  toolCalls: ToolCall[];
  model: string | undefined;
  usage: { promptTokens: number; completionTokens: number } | undefined;
  /** The choice's `finish_reason` as sent (normalised by the caller). */
  finishReason: string | undefined;
}

/** What a stream had sent when it failed. */
export interface StreamSeen {
  usage?: ReplyParts['usage'];
  toolCalls?: ToolCallAssembler;
}

/**
 * Assembles a streamed reply, calling `onDelta` for each text delta. A stream is complete only
 * when a choice reports its finish_reason: ending before that (socket dropped, server stopped
 * writing) is a retryable PROVIDER_UNAVAILABLE, since the text so far is only part of the answer.
 */
export async function readStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  context: ErrorContext,
  onDelta: ((delta: string) => void) | undefined,
  /** Where the usage and tool calls read so far are kept, for the caller when the stream fails (a cut reply is billed). */
  seen: StreamSeen = {},
): Promise<ReplyParts> {
  const iterator = stream[Symbol.asyncIterator]();
  const parts: string[] = [];
  const toolCalls = new ToolCallAssembler();
  seen.toolCalls = toolCalls;
  let model: string | undefined;
  let usage: ReplyParts['usage'];
  let finished = false;
  let finishReason: string | undefined;
  let done = false;
  let chunks = 0;
  try {
    for (;;) {
      let step: IteratorResult<ChatCompletionChunk>;
      try {
        step = await iterator.next();
      } catch (error) {
        throw toTransportError(error, context, `the stream from ${context.endpoint} ended early`);
      }
      if (step.done) break;
      chunks += 1;
      const chunk = step.value;
      model ??= chunk.model || undefined;
      if (chunk.usage) {
        usage = usageOf(chunk.usage);
        seen.usage = usage;
      }
      const choice = chunk.choices?.[0];
      // Finished only if the answer ended before any abort: its last chunk was read whole.
      if (choice?.finish_reason && !context.signal?.aborted) {
        finished = true;
        finishReason = choice.finish_reason;
      }
      const delta = choice?.delta?.content;
      if (typeof delta === 'string' && delta.length > 0) {
        parts.push(delta);
        onDelta?.(delta);
      }
      toolCalls.add(choice?.delta?.tool_calls);
    }
    done = true;
  } finally {
    // Stop reading (and release the socket) when the caller's onDelta threw.
    if (!done) await iterator.return?.();
  }
  // The SDK ends the iteration quietly when the request is aborted: the signal says why it ended.
  // A reply whose last chunk had arrived is kept even if Ctrl-C came before the stream's end: it
  // is answered, so it is journaled, not asked again by the resume.
  if (!finished && context.signal?.aborted) throw abortError(context);
  // Not one event: the server answered something other than a stream of chat completion chunks
  // (a proxy's login page, a web server at a wrong base_url), not a reply cut short.
  if (!finished && chunks === 0) {
    throw unavailable(context, `the reply from ${context.endpoint} held no chat completion (no stream events): is it an OpenAI-compatible API? check the base_url of provider \`${context.name}\` (a proxy or a web page answers with something else)`);
  }
  if (!finished) throw unavailable(context, `the stream from ${context.endpoint} ended early (no finish_reason)`);
  return { text: parts.join(''), toolCalls: toolCalls.result(), model, usage, finishReason };
}

export function readCompletion(completion: ChatCompletion, context: ErrorContext): ReplyParts {
  const choice = completion.choices?.[0];
  if (!choice?.message) throw unavailable(context, `the reply from ${context.endpoint} has no choices`);
  const text = choice.message.content ?? choice.message.refusal ?? '';
  const toolCalls = toolCallsOfMessage(choice.message.tool_calls);
  return {
    text,
    toolCalls,
    model: completion.model || undefined,
    usage: completion.usage ? usageOf(completion.usage) : undefined,
    finishReason: choice.finish_reason ?? undefined,
  };
}

function usageOf(usage: { prompt_tokens?: number; completion_tokens?: number }): NonNullable<ReplyParts['usage']> {
  return { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 };
}
