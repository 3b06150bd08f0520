import type { ChatRequest, ToolCall, ToolSpec } from '../chat-model.js';
import { generateFromSchema } from './json-from-schema.js';
import { matchesSchema } from './schema-check.js';
import type { OfflineContext } from './request-context.js';

/**
 * The offline model exercises tools deterministically: every offered tool not yet called in the
 * conversation is called once, in the order offered, with its required arguments generated from
 * its schema (examples and defaults first). Once each has been called (or tools are closed with
 * `toolChoice: none`) it answers the action's contract. Undefined: nothing to call.
 *
 * A tool that may change things outside the workspace (an MCP tool not annotated read-only) is
 * never called: no one asked for the call, and its made-up arguments would land in the user's files.
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
  const pending = offlineCallable(request.tools).filter((tool) => !called.has(tool.name));
  if (pending.length === 0) return undefined;
  return pending.map((tool, position) => ({
    id: `offline_call_${count + position + 1}`,
    name: tool.name,
    arguments: JSON.stringify(toolArguments(tool, context)),
  }));
}

/**
 * Required arguments only: optional ones are the tool's to default, may exclude each other (a file
 * reader's `head` and `tail`) and, made up, change what the call does (an offset, a limit). All of
 * them when the required ones alone do not fit the schema (`minProperties`, an `anyOf` of
 * alternatives).
 */
function toolArguments(tool: ToolSpec, context: OfflineContext): unknown {
  const required = generateFromSchema(tool.parameters, { context, requiredOnly: true }) ?? {};
  return matchesSchema(tool.parameters, required, tool.parameters) ? required : (generateFromSchema(tool.parameters, { context }) ?? {});
}

/** The offered tools the offline model may call: those that change nothing outside the workspace. */
export function offlineCallable(tools: readonly ToolSpec[]): ToolSpec[] {
  return tools.filter((tool) => tool.changesOutsideWorkspace !== true);
}

/** What a judge hears from the offline model: a pass that says no review was made. */
export const OFFLINE_VERDICT = { score: 10, reasons: ['offline model: no review made'] } as const;

/** True for the offline model's verdict, also when a scripted model fell back to it for a judge it does not answer. */
export function isOfflineVerdict(verdict: { score: number; reasons: readonly string[] }): boolean {
  return verdict.score === OFFLINE_VERDICT.score && verdict.reasons.length === 1 && verdict.reasons[0] === OFFLINE_VERDICT.reasons[0];
}
