import type { ToolSpec } from '../../../src/providers/chat-model.js';
import type { WireRequest } from './offline-answer.js';
import type { ScriptedAnswer, ScriptedToolCall } from './scripted-answer.js';

/** Two tools as the runtime offers them (wire names), for provider tests. */
export const SAMPLE_TOOLS: ToolSpec[] = [
  {
    name: 'fs_read',
    description: 'Read a file of the workspace',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  },
  {
    name: 'web_get',
    description: 'Fetch a URL',
    parameters: { type: 'object', properties: { url: { type: 'string' }, headers: { type: 'object' } }, required: ['url'] },
  },
];

/** Calls of both sample tools, with arguments worth escaping (quotes, unicode, nesting). */
export const SAMPLE_CALLS: ScriptedToolCall[] = [
  { name: 'fs_read', arguments: { path: 'docs/prd "v1".md' } },
  { name: 'web_get', arguments: { url: 'https://example.com/a?b=c', headers: { 'x-note': 'héllo ✓' } } },
];

/**
 * The usual script: while the request carries no tool result, call `calls` (with `text` when
 * given); once results came back, answer `final(results)` (default: the results named).
 */
export function callThenAnswer(
  calls: ScriptedToolCall[] = SAMPLE_CALLS,
  options: { text?: string; final?: (request: WireRequest) => string } = {},
): (request: WireRequest) => ScriptedAnswer {
  return (request) => {
    if (request.toolResults.length === 0) return { ...(options.text === undefined ? {} : { text: options.text }), toolCalls: calls };
    return options.final ? options.final(request) : `done with ${request.toolResults.map((result) => `${result.name}=${result.content}`).join(', ')}`;
  };
}
