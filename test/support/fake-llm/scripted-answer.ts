import { answerLikeOffline, type WireRequest } from './offline-answer.js';

/** A tool call a test script asks a fake server to make. */
export interface ScriptedToolCall {
  name: string;
  /** An object (sent as the protocol sends arguments), or text sent as is (to script broken JSON). */
  arguments: unknown;
}

/**
 * What a fake server's `answer` option returns: reply text, or tool calls (with optional text).
 * E.g. `(wire) => wire.toolResults.length === 0 ? { toolCalls: [{ name: 'fs_read', arguments: { path: 'a' } }] } : 'done'`.
 */
export type ScriptedAnswer = string | { text?: string; toolCalls: ScriptedToolCall[] };

export type AnswerFunction = (request: WireRequest) => ScriptedAnswer;

/** A scripted call as a fake server speaks it: arguments as JSON text, and as an object when they are one. */
export interface SpokenToolCall {
  name: string;
  /** JSON text (OpenAI's form; Anthropic's streamed `partial_json`). */
  json: string;
  /** The arguments object (Ollama's and Anthropic's form); `{}` when the script gave text that is no JSON object. */
  input: Record<string, unknown>;
}

export interface SpokenAnswer {
  text: string;
  toolCalls: SpokenToolCall[];
}

/**
 * Resolves a script's answer for one request. Like a real server, the fake makes tool calls only
 * when tools were offered and `toolChoice` is not `none`; otherwise the scripted calls are dropped
 * and the reply is the script's text, or what the offline model would answer.
 */
export function speakAnswer(answer: AnswerFunction, wire: WireRequest): SpokenAnswer {
  const scripted = answer(wire);
  if (typeof scripted === 'string') return { text: scripted, toolCalls: [] };
  const allowed = wire.tools.length > 0 && wire.toolChoice !== 'none';
  if (!allowed || scripted.toolCalls.length === 0) return { text: scripted.text ?? answerLikeOffline(wire), toolCalls: [] };
  return { text: scripted.text ?? '', toolCalls: scripted.toolCalls.map(spokenCall) };
}

function spokenCall(call: ScriptedToolCall): SpokenToolCall {
  if (typeof call.arguments === 'string') return { name: call.name, json: call.arguments, input: objectOf(call.arguments) };
  const json = JSON.stringify(call.arguments ?? {});
  return { name: call.name, json, input: objectOf(json) };
}

function objectOf(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Splits text into `count` pieces (fewer for short text), so streams deliver it in several deltas. */
export function splitInto(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces.length > 0 ? pieces : [''];
}
