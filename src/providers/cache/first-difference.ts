import { editDistance, nearest } from '../../spec/suggest.js';
import type { ChatMessage } from '../chat-model.js';
import { canonicalJson, type RequestKeyFields } from './request-key.js';

const SNIPPET_BEFORE = 10;
const SNIPPET_LENGTH = 40;
// Levenshtein over long prompts is quadratic-ish; comparing the first part is enough to rank.
const RANK_PREFIX = 20_000;

/**
 * The first way a request differs from a recorded one, in words a user can act on:
 * `model differs: recorded gpt-4o, requested gpt-4o-mini` or
 * `messages[1].content differs at character 120: recorded '...', requested '...'`.
 */
export function firstDifference(recorded: RequestKeyFields, requested: RequestKeyFields): string | undefined {
  for (const field of ['provider', 'model'] as const) {
    if (recorded[field] !== requested[field]) return `${field} differs: recorded ${recorded[field]}, requested ${requested[field]}`;
  }
  const shared = Math.min(recorded.messages.length, requested.messages.length);
  for (let index = 0; index < shared; index += 1) {
    const before = recorded.messages[index];
    const now = requested.messages[index];
    if (!before || !now) break;
    if (before.role !== now.role) return `messages[${index}].role differs: recorded ${before.role}, requested ${now.role}`;
    const text = textDifference(before.content, now.content);
    if (text) return `messages[${index}].content ${text}`;
    const rest = textDifference(canonicalJson(toolFieldsOf(before)), canonicalJson(toolFieldsOf(now)));
    if (rest) return `messages[${index}] tool fields (canonical JSON) ${rest}`;
  }
  if (recorded.messages.length !== requested.messages.length) {
    return `number of messages differs: recorded ${recorded.messages.length}, requested ${requested.messages.length}`;
  }
  for (const field of ['temperature', 'maxTokens'] as const) {
    if (recorded[field] !== requested[field]) return `${field} differs: recorded ${recorded[field] ?? 'unset'}, requested ${requested[field] ?? 'unset'}`;
  }
  const recordedSchema = recorded.responseSchema;
  const requestedSchema = requested.responseSchema;
  if (recordedSchema?.name !== requestedSchema?.name) {
    return `responseSchema.name differs: recorded ${recordedSchema?.name ?? 'unset'}, requested ${requestedSchema?.name ?? 'unset'}`;
  }
  const schema = textDifference(canonicalJson(recordedSchema?.schema ?? null), canonicalJson(requestedSchema?.schema ?? null));
  if (schema) return `responseSchema.schema (canonical JSON) ${schema}`;
  return toolsDifference(recorded, requested);
}

/** Tools offered (names first, then their full specs) and the tool choice. */
function toolsDifference(recorded: RequestKeyFields, requested: RequestKeyFields): string | undefined {
  const names = (fields: RequestKeyFields) => (fields.tools ?? []).map((tool) => tool.name).join(', ') || 'none';
  if (names(recorded) !== names(requested)) return `tools differ: recorded ${names(recorded)}, requested ${names(requested)}`;
  const specs = textDifference(canonicalJson(recorded.tools ?? []), canonicalJson(requested.tools ?? []));
  if (specs) return `tools (canonical JSON) ${specs}`;
  if (recorded.toolChoice !== requested.toolChoice) {
    return `toolChoice differs: recorded ${recorded.toolChoice ?? 'auto'}, requested ${requested.toolChoice ?? 'auto'}`;
  }
  return undefined;
}

/** A message's fields besides role and content: tool calls, or the call a tool result answers. */
function toolFieldsOf(message: ChatMessage): Record<string, unknown> {
  const { role: _role, content: _content, ...rest } = message;
  return rest;
}

/** `differs at character N: recorded '...', requested '...'` (1-based), or undefined when equal. */
function textDifference(recorded: string, requested: string): string | undefined {
  if (recorded === requested) return undefined;
  let at = 0;
  while (at < recorded.length && at < requested.length && recorded[at] === requested[at]) at += 1;
  return `differs at character ${at + 1}: recorded ${snippet(recorded, at)}, requested ${snippet(requested, at)}`;
}

function snippet(text: string, at: number): string {
  if (at >= text.length) return '(end of text)';
  const start = Math.max(0, at - SNIPPET_BEFORE);
  const end = Math.min(text.length, at + SNIPPET_LENGTH);
  const shown = text.slice(start, end).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/'/g, "\\'");
  return `'${start > 0 ? '…' : ''}${shown}${end < text.length ? '…' : ''}'`;
}

/** The recorded request most like the requested one (smallest edit distance of their key fields). */
export function closestRecorded<T extends RequestKeyFields>(candidates: readonly T[], requested: RequestKeyFields): T | undefined {
  const target = canonicalJson(requested).slice(0, RANK_PREFIX);
  return nearest(candidates, (candidate) => editDistance(canonicalJson(keyFieldsOf(candidate)).slice(0, RANK_PREFIX), target), Number.POSITIVE_INFINITY);
}

function keyFieldsOf(fields: RequestKeyFields): RequestKeyFields {
  const { provider, model, messages, temperature, maxTokens, responseSchema, tools, toolChoice } = fields;
  return { provider, model, messages, temperature, maxTokens, responseSchema, tools, toolChoice } as RequestKeyFields;
}
