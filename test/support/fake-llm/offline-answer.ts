import { offlineReply } from '../../../src/providers/offline/index.js';
import type { ChatPurpose } from '../../../src/providers/chat-model.js';

/** What a fake server understood of a wire request, whatever the protocol. */
export interface WireRequest {
  model: string;
  system: string;
  /** User and assistant turns, in order. */
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  /** The JSON Schema the reply must satisfy, when the request asked for structured output. */
  schema: Record<string, unknown> | undefined;
  stream: boolean;
}

/**
 * Answers a wire request the way the offline model would answer the runtime's request, so a full
 * SOP can run against a fake server. The purpose is not on the wire: it is read back from the
 * runtime's prompts (schema → JSON; "Reply with the code only (LANG)" → code; the first
 * backticked relative path in the last user message → the file being written).
 */
export function answerLikeOffline(request: WireRequest): string {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const codeLanguage = /Reply with the code only \(([^)]+)\)/.exec(request.system)?.[1];
  const path = /`((?:[\w.-]+\/)*[\w.-]+\.[A-Za-z0-9]+)`/.exec(lastUser)?.[1];
  const purpose: ChatPurpose = {
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
    purpose,
  });
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
