import { offlineReply } from '../../../src/providers/offline/index.js';
import type { OfflineHints } from '../../../src/providers/offline/hints.js';

/** What a fake server understood of a wire request, whatever the protocol. */
export interface WireRequest {
  model: string;
  system: string;
  /** User and assistant turns, in order. */
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  /** The JSON Schema the reply must satisfy, when the request asked for structured output. */
  schema: Record<string, unknown> | undefined;
  stream: boolean;
  /** The user's tools offered (Anthropic's output tool for structured output is not one of them). */
  tools: WireTool[];
  /**
   * Whether the model may call them: `none` (OpenAI/Anthropic `tool_choice` none, or Anthropic's
   * output tool forced beside them), `required`, else `auto`.
   */
  toolChoice: 'auto' | 'none' | 'required';
  /** Tool calls the history's assistant turns made, in order (arguments parsed when they are JSON). */
  toolCalls: Array<{ id: string; name: string; arguments: unknown }>;
  /** Tool results the history carries, in order; `name` found through the call they answer. */
  toolResults: WireToolResult[];
}

export interface WireTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface WireToolResult {
  /** The call id it answers (Ollama sends none: `undefined`). */
  id: string | undefined;
  name: string | undefined;
  content: string;
  isError: boolean;
}

/** Tool-call arguments as a script sees them: parsed when they are JSON text, else as sent. */
export function parsedArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * Answers a wire request the way the offline model would answer the runtime's request, so a full
 * SOP can run against a fake server. The offline hints are not on the wire: they are read back from the
 * runtime's prompts (schema → JSON; "Reply with the code only (LANG)" → code; the first
 * backticked relative path in the last user message → the file being written).
 */
export function answerLikeOffline(request: WireRequest): string {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const codeLanguage = /Reply with the code only \(([^)]+)\)/.exec(request.system)?.[1];
  const path = /`((?:[\w.-]+\/)*[\w.-]+\.[A-Za-z0-9]+)`/.exec(lastUser)?.[1];
  const judged = judgeAnswer(request);
  if (judged !== undefined) return judged;
  const hints: OfflineHints = {
    kind: 'action',
    role: 'wire',
    action: 'wire',
    format: request.schema ? 'json' : codeLanguage || /Reply with the code only/.test(request.system) ? 'code' : /Reply in Markdown/.test(request.system) ? 'markdown' : 'text',
    outputType: /Your reply becomes an? (\w+) message/.exec(request.system)?.[1] ?? 'Output',
    language: codeLanguage,
    artifactPaths: path ? [path] : [],
    attempt: 1,
  };
  return offlineReply({
    model: request.model,
    messages: [{ role: 'system', content: request.system }, ...request.messages],
    ...(request.schema ? { responseSchema: { name: 'output', schema: request.schema } } : {}),
    providerOptions: { offline: hints },
  });
}

/**
 * A judge gate's call (a `{score, reasons}` schema and a `Passing score: N` line in the prompt) is
 * answered as the offline model answers a judge; while it answers none, with a passing verdict.
 */
function judgeAnswer(request: WireRequest): string | undefined {
  const properties = request.schema?.properties as Record<string, unknown> | undefined;
  if (!properties || !('score' in properties) || !('reasons' in properties)) return undefined;
  const prompt = request.messages.find((message) => message.role === 'user' && /^Passing score: /m.test(message.content))?.content;
  const minScore = Number(/^Passing score: (\S+)$/m.exec(prompt ?? '')?.[1]);
  if (!prompt || !Number.isFinite(minScore)) return undefined;
  const reply: unknown = offlineReply({
    model: request.model,
    messages: [{ role: 'system', content: request.system }, ...request.messages],
    responseSchema: { name: 'JudgeVerdict', schema: request.schema ?? {} },
    providerOptions: { offline: { kind: 'judge', role: 'wire', action: 'wire', gate: 'wire', minScore } },
  });
  return typeof reply === 'string' ? reply : JSON.stringify({ score: Math.max(minScore, 8), reasons: ['Meets the rubric (fake server).'] });
}

/** Applies the reply-shaping faults to a JSON reply text. */
export function shapeJsonReply(text: string, fault: 'malformed-json' | 'missing-fields', schema: Record<string, unknown> | undefined): string {
  if (fault === 'malformed-json') {
    const withTrailingComma = text.replace(/\n}\s*$/, ',\n}');
    return `Here is the JSON you asked for:\n\`\`\`json\n${withTrailingComma}\n\`\`\`\nLet me know if you need changes.`;
  }
  const value = JSON.parse(text) as Record<string, unknown>;
  for (const field of (schema?.required as string[] | undefined) ?? []) delete value[field];
  return JSON.stringify(value, null, 2);
}
