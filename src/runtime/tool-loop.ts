import { EXIT, isSopError } from '../errors/index.js';
import type { ChatMessage, ChatResponse, ToolCall, ToolSpec } from '../providers/chat-model.js';
import { wireToolName } from '../providers/tool-names.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import type { Tool, ToolContext, ToolResult } from '../tools/types.js';
import { frameFields, type ActionFrame } from './action-frame.js';
import type { EventScope } from './event-recorder.js';
import { callModel, type ModelCall } from './llm-call.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';

/** Characters of a call's arguments kept in its `tool-call-start` event. */
const EVENT_ARGUMENT_CHARS = 2000;
/** A tool result kept in its `tool-call-end` event (`--event-prompts`): long enough for a file or a page, not a whole log. */
const EVENT_RESULT_CHARS = 8192;

/** What an action's model may call, and how many calls are left for this action run. */
export interface ToolOffer {
  tools: Tool[];
  /** Shared by the re-asks of one action run. */
  budget: { left: number; max: number };
}

/** Wire names (`fs.read` → `fs_read`, unique) for the offered tools, and the way back. */
function wireTools(tools: readonly Tool[]): { specs: ToolSpec[]; byWireName: Map<string, Tool> } {
  const byWireName = new Map<string, Tool>();
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    const base = wireToolName(tool.name);
    let name = base;
    for (let suffix = 2; byWireName.has(name); suffix += 1) name = `${base}_${suffix}`;
    byWireName.set(name, tool);
    specs.push({ name, description: tool.description, parameters: tool.parameters, ...(tool.changesOutsideWorkspace ? { changesOutsideWorkspace: true } : {}) });
  }
  return { specs, byWireName };
}

/**
 * A model call with tools: while the reply asks for tool calls, run them in order and call the
 * model again with their results. Once the action's `max_tool_calls` are spent the tools stay
 * declared but the model must answer (`toolChoice: none`); calls beyond the limit get an error
 * result. Returns the final reply and the tool turns to keep in the conversation.
 */
export async function callWithTools(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  call: ModelCall,
  offer: ToolOffer,
): Promise<{ response: ChatResponse; transcript: ChatMessage[] }> {
  const { specs, byWireName } = wireTools(offer.tools);
  const transcript: ChatMessage[] = [];
  for (;;) {
    const toolChoice = offer.budget.left > 0 ? 'auto' : 'none';
    const response = await callModel(state, events, { ...call, messages: [...call.messages, ...transcript], tools: specs, toolChoice });
    const calls = response.toolCalls ?? [];
    // A model that still asks for tools after being told to answer gets its text taken as the answer.
    if (calls.length === 0 || toolChoice === 'none') return { response, transcript };
    transcript.push({ role: 'assistant', content: response.text, toolCalls: calls });
    for (const toolCall of calls) {
      const result = await runToolCall(state, events, frame, toolCall, byWireName.get(toolCall.name), offer.budget, byWireName.keys());
      // A server that echoes the token a header sent (or a tool that prints a key) must not hand it to the model.
      const content = state.runtime.secrets.mask(result.content);
      transcript.push({
        role: 'tool',
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        content: result.isError ? `error: ${content}` : content,
        ...(result.isError ? { isError: true } : {}),
      });
    }
  }
}

/** One call: arguments parsed and validated, the tool run, events recorded; failures become error results. */
async function runToolCall(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  toolCall: ToolCall,
  tool: Tool | undefined,
  budget: ToolOffer['budget'],
  offered: Iterable<string>,
): Promise<ToolResult> {
  if (state.signal?.aborted) throw new RunHalt('interrupted');
  const where = frameFields(frame);
  const name = tool?.name ?? toolCall.name;
  const mask = state.runtime.secrets.mask;
  events.emit({ type: 'tool-call-start', ...where, tool: name, call: toolCall.id, arguments: capped(mask(toolCall.arguments)) });
  const started = performance.now();
  let result: ToolResult;
  if (!tool) {
    result = refusal(unknownTool(toolCall.name, offered));
  } else if (budget.left <= 0) {
    result = refusal(`max_tool_calls (${budget.max}) reached: answer with what you have`);
  } else {
    budget.left -= 1;
    const args = parseArguments(state, tool, toolCall.arguments);
    // `callSignal`: a drain lets a tool in flight (its command, request) finish, as a model call.
    result = 'error' in args ? refusal(args.error) : await runSafely(tool, args.value, { signal: state.callSignal, noteCommand: state.noteCommand, mask: state.runtime.secrets.mask, maskParts: state.runtime.secrets.maskParts });
  }
  if (state.signal?.aborted) throw new RunHalt('interrupted');
  for (const file of result.written ?? []) {
    state.artifacts.set(file.path, file);
    events.emit({ type: 'artifact-written', ...where, path: file.path, bytes: file.bytes, sha256: file.sha256 });
  }
  events.emit({
    type: 'tool-call-end',
    ...where,
    tool: name,
    call: toolCall.id,
    ok: !result.isError,
    resultBytes: Buffer.byteLength(result.content),
    ...(result.isError ? { error: capped(mask(result.content)) } : {}),
    // What the model was given back: content that may be private, so only when prompts are kept.
    ...(state.eventPrompts && !result.isError ? { result: cutResult(mask(result.content)) } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
    durationMs: Math.round(performance.now() - started),
  });
  return result;
}

function parseArguments(state: RunState, tool: Tool, text: string): { value: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return { error: `the arguments are not JSON (${(error as Error).message}); send an object matching the tool's parameters` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the arguments must be a JSON object' };
  // A tool whose schema does not compile (an MCP server's, say) cannot be called, but the run goes on.
  const checked = state.validators.check(tool.parameters, value);
  if ('schemaError' in checked) return { error: `this tool cannot be called: its parameters schema does not compile (${checked.schemaError})` };
  if (checked.errors.length > 0) return { error: `invalid arguments: ${checked.errors.join('; ')}` };
  return { value: value as Record<string, unknown> };
}

/**
 * Tools return failures as values; a tool that throws anyway is reported to the model the same
 * way, except a storage failure (no space, read-only), which ends the run like any other write.
 */
async function runSafely(tool: Tool, args: Record<string, unknown>, context: ToolContext): Promise<ToolResult> {
  try {
    return await tool.run(args, context);
  } catch (error) {
    if (isSopError(error) && error.exitCode === EXIT.STORAGE_FAILED) throw error;
    return refusal(`the tool failed: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** Tool names an unknown call's result lists: enough for an action's tools, bounded for a large MCP server's. */
const OFFERED_NAMES_LISTED = 30;

/**
 * What a model calling a tool it was not offered is told: the nearest offered name, when one is
 * close, and the names it can call (as it was given them), so its next call can be right.
 */
function unknownTool(name: string, offered: Iterable<string>): string {
  const names = [...offered];
  const nearest = didYouMean(wireToolName(name), names);
  return `there is no tool named "${name}";${nearest === undefined ? '' : ` ${nearest}`} the tools you can call: ${listNames(names, OFFERED_NAMES_LISTED)}`;
}

function refusal(content: string): ToolResult {
  return { content, isError: true };
}

/**
 * The result as an event keeps it (masked first, so no secret is cut into a part the mask misses):
 * the first 8192 characters and, when cut, how much more the model got.
 */
function cutResult(text: string): string {
  if (text.length <= EVENT_RESULT_CHARS) return text;
  return `${text.slice(0, EVENT_RESULT_CHARS)}\n[cut: ${text.length - EVENT_RESULT_CHARS} more characters went to the model]`;
}

function capped(text: string): string {
  return text.length > EVENT_ARGUMENT_CHARS ? `${text.slice(0, EVENT_ARGUMENT_CHARS)}...` : text;
}
