import type { ChatRequest, ToolCall } from '../chat-model.js';
import { generateFromSchema } from './json-from-schema.js';
import type { OfflineContext } from './request-context.js';

/**
 * The offline model exercises tools deterministically: every offered tool not yet called in the
 * conversation is called once, in the order offered, with arguments generated from its schema
 * (examples and defaults first). Once each has been called (or tools are closed with
 * `toolChoice: none`) it answers the action's contract. Undefined: nothing to call.
 */
export function offlineToolCalls(request: ChatRequest, context: OfflineContext): ToolCall[] | undefined {
  if (!request.tools || request.tools.length === 0 || request.toolChoice === 'none') return undefined;
  const called = new Set<string>();
  let count = 0;
  for (const message of request.messages) {
    if (message.role !== 'assistant' || !message.toolCalls) continue;
    for (const call of message.toolCalls) {
      called.add(call.name);
      count += 1;
    }
  }
  const pending = request.tools.filter((tool) => !called.has(tool.name));
  if (pending.length === 0) return undefined;
  return pending.map((tool, position) => ({
    id: `offline_call_${count + position + 1}`,
    name: tool.name,
    arguments: JSON.stringify(generateFromSchema(tool.parameters, { context }) ?? {}),
  }));
}

/** What a judge hears from the offline model: a pass that says no review was made. */
export const OFFLINE_VERDICT = { score: 10, reasons: ['offline model: no review made'] } as const;
