/**
 * The scripted model (`--model script:FILE`): answers each call from a script, per role, action,
 * attempt, foreach item and kind of call, so an SOP takes the branches its author wants to see
 * (a judge that rejects, a route to the second category, a tool call). A call the script does not
 * answer goes to the offline model, or fails the run with SCRIPT_MISS when the script is strict.
 * The same script decides human gates (`decide`, used by the runtime's scripted approver).
 */

import { SopError } from '../../errors/index.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResponse, ToolCall, ToolSpec } from '../chat-model.js';
import { SCRIPT } from '../model-ref.js';
import { createOfflineModel, estimateUsage } from '../offline/index.js';
import { wireToolName } from '../tool-names.js';
import { answerToAdd, describeCall, ScriptBook, type ScriptCall } from './match.js';
import type { Script } from './load-script.js';
import type { Answer, HumanDecision } from './script.types.generated.js';

/** A human gate's decision, as the runtime's approver takes it. */
export type ScriptedDecision = { kind: 'approve' } | { kind: 'reject'; feedback: string } | { kind: 'edit'; content: string };

/** The human gate to decide, as a script names it. */
type HumanCall = Omit<ScriptCall, 'kind'> & { action: string; gate: string };

export interface ScriptedModel extends ChatModel {
  readonly script: Script;
  /** The scripted decision of a human gate; undefined when the script has none (a strict script throws SCRIPT_MISS). */
  decide(call: HumanCall): ScriptedDecision | undefined;
  /** The calls (`describeCall`) that had no answer and went to the fallback, each once, in order: what to script next. */
  unscripted(): string[];
  /** Indexes in `script.answers` of revision answers (`attempt` 2+) never used though their action ran (`ScriptBook.unusedRevisions`). */
  unusedRevisions(): number[];
}

/** A model answering from `script`; unscripted calls go to `fallback` (default: the offline model). */
export function createScriptedModel(script: Script, fallback: ChatModel = createOfflineModel()): ScriptedModel {
  const book = new ScriptBook(script.answers);
  const unscripted = new Set<string>();

  return {
    provider: SCRIPT,
    script,
    capabilities: { nativeJsonSchema: true, tools: true, streaming: false },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      request.signal?.throwIfAborted();
      const call = scriptCallOf(request);
      if (!call) return fallback.complete(request);
      const { step, answer: continued } = toolLoop(request.messages);
      // A tool loop calls again with the tool results: the answer that started it goes on, not the next.
      const answer = (continued === undefined ? undefined : script.answers[continued]) ?? book.take(call);
      if (!answer) {
        if (script.strict) throw miss(script, call, exampleFor(call, request));
        unscripted.add(describeCall(call));
        return fallback.complete(request);
      }
      const toolCall = nextToolCall(answer, script.answers.indexOf(answer), step, request);
      return toolCall ? reply(request, '', [toolCall]) : reply(request, answerText(answer, call));
    },
    decide(human) {
      const call: ScriptCall = { ...human, kind: 'human' };
      const answer = book.take(call);
      if (answer?.human !== undefined) return decisionOf(answer.human);
      if (script.strict) throw miss(script, call, 'approve');
      unscripted.add(describeCall(call));
      return undefined;
    },
    unscripted: () => [...unscripted],
    unusedRevisions: () => book.unusedRevisions(),
  };
}

/** The call as the script names it, from the request's hints; undefined for a request without hints. */
function scriptCallOf(request: ChatRequest): ScriptCall | undefined {
  const hints = request.providerOptions?.offline;
  if (!hints) return undefined;
  const script = request.providerOptions?.script;
  const place = { attempt: script?.attempt ?? 1, ...(script?.item ? { item: script.item } : {}) };
  switch (hints.kind) {
    case 'action':
      return { kind: hints.attempt > 1 ? 'reask' : 'output', role: hints.role, action: hints.action, ...place };
    case 'judge':
      return { kind: 'judge', role: hints.role, action: hints.action, gate: hints.gate, ...place };
    case 'react-choice':
      return { kind: 'choose', role: hints.role, attempt: 1 };
    case 'plan':
      return { kind: 'plan', role: hints.role, attempt: 1 };
  }
}

/** The reply text of an answer: JSON for structured answers, text as written. */
function answerText(answer: Answer, call: ScriptCall): string {
  switch (call.kind) {
    case 'judge':
      return json({ score: answer.judge?.score, reasons: answer.judge?.reasons ?? [] });
    case 'choose':
      return json({ action: answer.choose, reason: 'scripted answer' });
    case 'plan':
      return json({ steps: (answer.plan ?? []).map((action) => ({ action, reason: 'scripted answer' })) });
    default:
      return asText(call.kind === 'reask' ? answer.reask : answer.output);
  }
}

/**
 * Step `step` of the answer's tool calls, when the call offers tools and may still use them. The
 * call's id names the answer (`script-<answer>-<step>`), so the loop's next call finds it again
 * (also after a resume, whose journal gives back the calls already made).
 */
function nextToolCall(answer: Answer, index: number, step: number, request: ChatRequest): ToolCall | undefined {
  const planned = answer.tools?.[step];
  if (!planned || !request.tools || request.tools.length === 0 || request.toolChoice === 'none') return undefined;
  return { id: `script-${index}-${step + 1}`, name: offeredName(planned.tool, request.tools), arguments: JSON.stringify(planned.args ?? {}) };
}

const SCRIPTED_CALL_ID = /^script-(\d+)-\d+$/;

/**
 * The wire name of the tool the script names as the SOP writes it (`fs.read` → `fs_read`); a name
 * not offered is sent as written, so the run answers it as a model's call to an unknown tool.
 */
function offeredName(tool: string, offered: readonly ToolSpec[]): string {
  const wire = wireToolName(tool);
  return offered.find((spec) => spec.name === tool)?.name ?? offered.find((spec) => spec.name === wire)?.name ?? tool;
}

/**
 * How far a tool loop is: the assistant turns with tool calls since the prompt (or the last
 * re-ask), and the index of the answer that made the last of them, when the script made it.
 */
function toolLoop(messages: readonly ChatMessage[]): { step: number; answer: number | undefined } {
  let step = 0;
  let answer: number | undefined;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index] as ChatMessage;
    if (message.role === 'user') break;
    if (message.role !== 'assistant' || !message.toolCalls || message.toolCalls.length === 0) continue;
    if (step === 0) {
      const made = SCRIPTED_CALL_ID.exec(message.toolCalls[0]?.id ?? '');
      if (made) answer = Number(made[1]);
    }
    step += 1;
  }
  return { step, answer };
}

/** A `human` answer as the decision the approver hands the gate (an edit as its text, a value as JSON). */
export function decisionOf(human: HumanDecision): ScriptedDecision {
  if (human === 'approve') return { kind: 'approve' };
  if ('reject' in human) return { kind: 'reject', feedback: human.reject };
  return { kind: 'edit', content: asText(human.edit) };
}

function miss(script: Script, call: ScriptCall, example: string): SopError {
  return new SopError('SCRIPT_MISS', `the strict script ${script.file} has no answer for ${describeCall(call)}`, {
    hint: `add to its answers:\n    ${answerToAdd(call, example)}\n  or set \`strict: false\` to let the offline model answer unscripted calls`,
  });
}

/** A placeholder answer in YAML for the hint of a miss. */
function exampleFor(call: ScriptCall, request: ChatRequest): string {
  switch (call.kind) {
    case 'judge':
      return '{ score: 8, reasons: [looks right] }';
    case 'choose':
      return 'done';
    case 'plan':
      return '[]';
    default:
      return request.responseSchema ? '{ ... }' : '"..."';
  }
}

function reply(request: ChatRequest, text: string, toolCalls?: ToolCall[]): ChatResponse {
  const counted = toolCalls ? text + JSON.stringify(toolCalls) : text;
  return { text, ...(toolCalls ? { toolCalls } : {}), usage: estimateUsage(request, counted), model: request.model || SCRIPT, finishReason: toolCalls ? 'tool_calls' : 'stop' };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : json(value);
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
