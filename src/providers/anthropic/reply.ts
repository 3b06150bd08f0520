import type Anthropic from '@anthropic-ai/sdk';
import { toolReplyText, type ForcedTool } from './request.js';
import { countOf, type ReportedUsage } from './usage.js';

/** What a reply carried, whether it came whole or as a stream. */
export interface ReplyParts {
  model: string;
  text: string;
  /** The forced tool's input: parsed, or the raw JSON text when it did not parse. */
  toolInput: { parsed: unknown } | { raw: string } | undefined;
  usage: ReportedUsage;
}

/** The text the runtime gets: the forced tool's input as JSON when there is one, else the text blocks. */
export function replyText(parts: ReplyParts, tool: ForcedTool | undefined): string {
  if (!tool || !parts.toolInput) return parts.text;
  return 'parsed' in parts.toolInput ? toolReplyText(parts.toolInput.parsed, tool) : parts.toolInput.raw;
}

/** Parts of a non-streaming reply. */
export function partsOfMessage(message: Anthropic.Message, tool: ForcedTool | undefined): ReplyParts {
  const blocks: unknown[] = Array.isArray(message.content) ? message.content : [];
  let text = '';
  let toolInput: ReplyParts['toolInput'];
  for (const block of blocks as Array<{ type?: string; text?: unknown; name?: unknown; input?: unknown }>) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use' && tool && block.name === tool.name && !toolInput) toolInput = { parsed: block.input };
  }
  const usage = (message as { usage?: { input_tokens?: unknown; output_tokens?: unknown } }).usage;
  return {
    model: typeof message.model === 'string' ? message.model : '',
    text,
    toolInput,
    usage: { inputTokens: countOf(usage?.input_tokens), outputTokens: countOf(usage?.output_tokens) },
  };
}

/**
 * Reads a raw SSE stream (message_start, content_block_start/delta/stop, message_delta,
 * message_stop), reporting text and tool-input deltas as they arrive. A stream that ends before
 * message_stop did not deliver the whole answer: that throws (the caller maps it to a retryable error).
 */
export async function partsOfStream(
  stream: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  tool: ForcedTool | undefined,
  onDelta: ((delta: string) => void) | undefined,
): Promise<ReplyParts> {
  const parts: ReplyParts = { model: '', text: '', toolInput: undefined, usage: { inputTokens: undefined, outputTokens: undefined } };
  let toolIndex: number | undefined;
  let toolJson = '';
  let toolStartInput: unknown;
  let stopped = false;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start': {
        parts.model = event.message.model;
        const usage = event.message.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
        parts.usage = { inputTokens: countOf(usage?.input_tokens), outputTokens: countOf(usage?.output_tokens) };
        break;
      }
      case 'content_block_start':
        if (event.content_block.type === 'text' && event.content_block.text) {
          parts.text += event.content_block.text;
          onDelta?.(event.content_block.text);
        }
        if (event.content_block.type === 'tool_use' && tool && event.content_block.name === tool.name && toolIndex === undefined) {
          toolIndex = event.index;
          toolStartInput = event.content_block.input;
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          parts.text += event.delta.text;
          onDelta?.(event.delta.text);
        } else if (event.delta.type === 'input_json_delta' && event.index === toolIndex) {
          toolJson += event.delta.partial_json;
          if (event.delta.partial_json) onDelta?.(event.delta.partial_json);
        }
        break;
      case 'message_delta': {
        // message_delta carries the final, cumulative counts.
        const usage = event.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
        parts.usage = {
          inputTokens: countOf(usage?.input_tokens) ?? parts.usage.inputTokens,
          outputTokens: countOf(usage?.output_tokens) ?? parts.usage.outputTokens,
        };
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
  if (toolIndex !== undefined) parts.toolInput = toolJson ? parseToolJson(toolJson) : { parsed: toolStartInput ?? {} };
  return parts;
}

function parseToolJson(json: string): ReplyParts['toolInput'] {
  try {
    return { parsed: JSON.parse(json) as unknown };
  } catch {
    return { raw: json };
  }
}
