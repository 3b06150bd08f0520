import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage } from '../chat-model.js';
import { argumentsObject } from '../tool-names.js';

type Block = Anthropic.ContentBlockParam;
type Turn = { role: 'user' | 'assistant'; content: string | Block[] };

/**
 * User and assistant turns in order (system messages go to `system`, elsewhere). The API wants
 * user/assistant alternation, so consecutive turns of one role are merged: texts joined by a
 * blank line, or their blocks concatenated. An assistant turn's tool calls become `tool_use`
 * blocks; tool results become `tool_result` blocks of a user turn, all results of one round in
 * that one turn and before any text in it (the API requires them first).
 */
export function mergeTurns(messages: readonly ChatMessage[]): Anthropic.MessageParam[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const turn = turnOf(message);
    const last = turns[turns.length - 1];
    if (last && last.role === turn.role) last.content = mergeContent(last.content, turn.content);
    else turns.push(turn);
  }
  return turns;
}

function turnOf(message: Exclude<ChatMessage, { role: 'system' }>): Turn {
  if (message.role === 'tool') {
    const result: Anthropic.ToolResultBlockParam = {
      type: 'tool_result',
      tool_use_id: message.toolCallId,
      // An empty text is refused; a result without content is not.
      ...(message.content === '' ? {} : { content: message.content }),
      ...(message.isError ? { is_error: true } : {}),
    };
    return { role: 'user', content: [result] };
  }
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    const uses = message.toolCalls.map((call): Anthropic.ToolUseBlockParam => ({ type: 'tool_use', id: call.id, name: call.name, input: argumentsObject(call.arguments) }));
    return { role: 'assistant', content: [...textBlocks(message.content), ...uses] };
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content: message.content };
}

function mergeContent(before: Turn['content'], after: Turn['content']): Turn['content'] {
  if (typeof before === 'string' && typeof after === 'string') return `${before}\n\n${after}`;
  const blocks = [...blocksOf(before), ...blocksOf(after)];
  return [...blocks.filter((block) => block.type === 'tool_result'), ...blocks.filter((block) => block.type !== 'tool_result')];
}

function blocksOf(content: Turn['content']): Block[] {
  return typeof content === 'string' ? textBlocks(content) : content;
}

/** Empty text blocks are refused by the API. */
function textBlocks(text: string): Block[] {
  return text === '' ? [] : [{ type: 'text', text }];
}
