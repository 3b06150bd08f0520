import type Anthropic from '@anthropic-ai/sdk';
import type { ToolCall } from '../chat-model.js';
import { toolReplyText, type ForcedTool } from './request.js';
import { countOf, type ReportedUsage } from './usage.js';

/** What a reply carried, whether it came whole or as a stream. */
export interface ReplyParts {
  model: string;
  text: string;
  /** The output tool's input: parsed, or the raw JSON text when it did not parse. */
  toolInput: { parsed: unknown } | { raw: string } | undefined;
  /** Calls of the user's tools (every `tool_use` but the output tool's), in order. */
  toolCalls: ToolCall[];
  usage: ReportedUsage;
  /** `stop_reason` as sent (`end_turn`, `max_tokens`, `tool_use`, ...); normalised by the caller. */
  stopReason: string | undefined;
}

/**
 * The text the runtime gets: the output tool's input as JSON when there is one, else the text
 * blocks. A reply that also calls user tools is not final (the runner calls the tools and asks
 * again), so then only its text blocks count.
 */
export function replyText(parts: ReplyParts, tool: ForcedTool | undefined): string {
  if (!tool || !parts.toolInput || parts.toolCalls.length > 0) return parts.text;
  return 'parsed' in parts.toolInput ? toolReplyText(parts.toolInput.parsed, tool) : parts.toolInput.raw;
}

/** Parts of a non-streaming reply. */
export function partsOfMessage(message: Anthropic.Message, tool: ForcedTool | undefined): ReplyParts {
  const blocks: unknown[] = Array.isArray(message.content) ? message.content : [];
  let text = '';
  let toolInput: ReplyParts['toolInput'];
  const toolCalls: ToolCall[] = [];
  for (const block of blocks as Array<{ type?: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown }>) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type !== 'tool_use' || typeof block.name !== 'string') continue;
    if (tool && block.name === tool.name) toolInput ??= { parsed: block.input };
    else toolCalls.push({ id: callId(block.id, toolCalls.length), name: block.name, arguments: JSON.stringify(block.input ?? {}) });
  }
  const usage = (message as { usage?: { input_tokens?: unknown; output_tokens?: unknown } }).usage;
  return {
    model: typeof message.model === 'string' ? message.model : '',
    text,
    toolInput,
    toolCalls,
    usage: { inputTokens: countOf(usage?.input_tokens), outputTokens: countOf(usage?.output_tokens) },
    stopReason: typeof message.stop_reason === 'string' ? message.stop_reason : undefined,
  };
}

/** A `tool_use` block being streamed: its input arrives as `input_json_delta` pieces. */
interface StreamedToolUse {
  id: string;
  name: string;
  output: boolean;
  json: string;
  startInput: unknown;
}

/**
 * Reads a raw SSE stream (message_start, content_block_start/delta/stop, message_delta,
 * message_stop), reporting text and output-tool input deltas as they arrive. A stream that ends
 * before message_stop did not deliver the whole answer: that throws (the caller maps it to a
 * retryable error).
 */
export async function partsOfStream(
  stream: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  tool: ForcedTool | undefined,
  onDelta: ((delta: string) => void) | undefined,
  /**
   * What was sent so far, for the caller when the stream fails (a cut reply is billed): input tokens
   * from message_start, output tokens only from message_delta (message_start's is a placeholder),
   * and the user's tool calls, which `onDelta` is not told of.
   */
  seen: { promptTokens?: number | undefined; completionTokens?: number | undefined; unstreamed?: string } = {},
): Promise<ReplyParts> {
  const parts: ReplyParts = { model: '', text: '', toolInput: undefined, toolCalls: [], usage: { inputTokens: undefined, outputTokens: undefined }, stopReason: undefined };
  const uses = new Map<number, StreamedToolUse>();
  let outputSeen = false;
  let stopped = false;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start': {
        parts.model = event.message.model;
        const usage = event.message.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
        parts.usage = { inputTokens: countOf(usage?.input_tokens), outputTokens: countOf(usage?.output_tokens) };
        seen.promptTokens = parts.usage.inputTokens;
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text' && block.text) {
          parts.text += block.text;
          onDelta?.(block.text);
        }
        if (block.type === 'tool_use') {
          // Only the first call of the output tool is the answer; any later one is ignored.
          const output = tool !== undefined && block.name === tool.name;
          if (!output || !outputSeen) uses.set(event.index, { id: block.id, name: block.name, output, json: '', startInput: block.input });
          if (!output) seen.unstreamed = `${seen.unstreamed ?? ''}${block.name} `;
          outputSeen ||= output;
        }
        break;
      }
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          parts.text += event.delta.text;
          onDelta?.(event.delta.text);
        } else if (event.delta.type === 'input_json_delta') {
          const use = uses.get(event.index);
          if (!use) break;
          use.json += event.delta.partial_json;
          if (use.output && event.delta.partial_json) onDelta?.(event.delta.partial_json);
          else seen.unstreamed = `${seen.unstreamed ?? ''}${event.delta.partial_json}`;
        }
        break;
      case 'message_delta': {
        // message_delta carries the final, cumulative counts.
        const usage = event.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
        parts.usage = {
          inputTokens: countOf(usage?.input_tokens) ?? parts.usage.inputTokens,
          outputTokens: countOf(usage?.output_tokens) ?? parts.usage.outputTokens,
        };
        seen.promptTokens = parts.usage.inputTokens;
        seen.completionTokens = countOf(usage?.output_tokens) ?? seen.completionTokens;
        if (typeof event.delta.stop_reason === 'string') parts.stopReason = event.delta.stop_reason;
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      default:
        break;
    }
  }
  if (!stopped) throw new Error('the stream ended before message_stop');
  for (const [, use] of [...uses.entries()].sort(([a], [b]) => a - b)) {
    if (use.output) parts.toolInput = use.json ? parseToolJson(use.json) : { parsed: use.startInput ?? {} };
    else parts.toolCalls.push({ id: callId(use.id, parts.toolCalls.length), name: use.name, arguments: use.json || JSON.stringify(use.startInput ?? {}) });
  }
  return parts;
}

/** The block's id, or `call_<n>` (1-based) from a server that sent none. */
function callId(id: unknown, position: number): string {
  return typeof id === 'string' && id ? id : `call_${position + 1}`;
}

function parseToolJson(json: string): ReplyParts['toolInput'] {
  try {
    return { parsed: JSON.parse(json) as unknown };
  } catch {
    return { raw: json };
  }
}
