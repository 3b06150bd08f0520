import type { ChatMessage, ToolCall } from './chat-model.js';

/**
 * The text a message puts in a prompt, for token estimates when a provider reports no usage:
 * its content and, for an assistant turn, the calls it asked for.
 */
export function messageText(message: ChatMessage): string {
  if (message.role !== 'assistant' || !message.toolCalls?.length) return message.content;
  return replyText(message.content, message.toolCalls);
}

/** The text of a reply (or an assistant turn): its text and its tool calls, one a line. */
export function replyText(text: string, toolCalls: readonly ToolCall[] = []): string {
  return [text, ...toolCalls.map((call) => `${call.name} ${call.arguments}`)].filter((part) => part !== '').join('\n');
}
