/** Assembles tool calls from Chat Completions replies: whole (`message.tool_calls`) or streamed fragments. */

import type { ChatCompletionChunk, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { ToolCall } from '../chat-model.js';

type Fragment = ChatCompletionChunk.Choice.Delta.ToolCall;

/**
 * Streamed tool calls arrive in fragments keyed by `index`: the id and name first, the arguments
 * JSON in pieces. Some compatible servers send each call whole in one chunk, repeat the id or the
 * name in every fragment, or leave out `index`; all of those assemble to the same calls.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  add(fragments: readonly Fragment[] | null | undefined): void {
    if (!Array.isArray(fragments)) return;
    fragments.forEach((fragment, position) => {
      const index = typeof fragment.index === 'number' ? fragment.index : position;
      const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
      this.calls.set(index, call);
      if (typeof fragment.id === 'string' && fragment.id && !call.id) call.id = fragment.id;
      const name = fragment.function?.name;
      // A repeated whole name is ignored; a name sent in pieces is joined.
      if (typeof name === 'string' && name && name !== call.name) call.name += name;
      const piece = fragment.function?.arguments;
      if (typeof piece === 'string') call.arguments += piece;
    });
  }

  /** The calls in index order; ids the server left out are generated (`call_<n>`, 1-based). */
  result(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call], position) => ({ id: call.id || `call_${position + 1}`, name: call.name, arguments: call.arguments || '{}' }));
  }
}

/** Function calls of a whole reply (custom tools are never offered, so never answered). */
export function toolCallsOfMessage(calls: readonly ChatCompletionMessageToolCall[] | null | undefined): ToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((call, position) => {
    if (call.type !== undefined && call.type !== 'function') return [];
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
    if (typeof fn?.name !== 'string') return [];
    const args = typeof fn.arguments === 'string' && fn.arguments ? fn.arguments : '{}';
    return [{ id: typeof call.id === 'string' && call.id ? call.id : `call_${position + 1}`, name: fn.name, arguments: args }];
  });
}
