/**
 * The built-in `offline` model: the default when no provider is configured. Deterministic
 * (the reply depends only on the request), no network, well under a millisecond per call.
 * It honours each call's contract (schema-valid JSON, runnable code, Markdown with the
 * requested sections, react choices and plans) and says in its text that it is offline.
 */

import type { ChatModel, ChatRequest, ChatResponse, TokenUsage } from '../chat-model.js';
import { planValue, reactChoiceValue } from './choices.js';
import { generateCode } from './code-templates.js';
import type { OfflineHints } from './hints.js';
import { generateFromSchema } from './json-from-schema.js';
import { documentTitle, markdownDocument, textParagraph } from './markdown.js';
import { OFFLINE_NOTICE, contextFromRequest } from './request-context.js';
import { OFFLINE_VERDICT, offlineCallable, offlineToolCalls } from './tool-calls.js';

export function createOfflineModel(): ChatModel {
  return {
    provider: 'offline',
    capabilities: { nativeJsonSchema: true, tools: true, streaming: false },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      request.signal?.throwIfAborted();
      const toolCalls = request.tools && request.tools.length > 0 ? offlineToolCalls(request, contextFromRequest(request, offlineHints(request))) : undefined;
      if (toolCalls) {
        const text = `${OFFLINE_NOTICE} Calling ${toolCalls.map((call) => call.name).join(', ')} once each.${leftAlone(request)}`;
        return { text, toolCalls, usage: estimateUsage(request, text + JSON.stringify(toolCalls)), model: request.model || 'offline', finishReason: 'tool_calls' };
      }
      const text = offlineReply(request);
      return { text, usage: estimateUsage(request, text), model: request.model || 'offline', finishReason: 'stop' };
    },
  };
}

/** Names the offered tools the offline model never calls, so a reader of the conversation sees why they were not. */
function leftAlone(request: ChatRequest): string {
  const offered = request.tools ?? [];
  const callable = new Set(offlineCallable(offered));
  const skipped = offered.filter((tool) => !callable.has(tool));
  return skipped.length === 0 ? '' : ` Not calling ${skipped.map((tool) => tool.name).join(', ')}: they may change files outside the workspace.`;
}

/** The reply text for a request (synchronous; `complete` wraps it). */
export function offlineReply(request: ChatRequest): string {
  const hints = offlineHints(request);
  const context = contextFromRequest(request, hints);
  const schema = request.responseSchema?.schema;
  switch (hints.kind) {
    case 'react-choice':
      return json(reactChoiceValue(hints.options, hints.chosen, schema, context));
    case 'plan':
      return json(planValue(hints.options, schema, context));
    case 'judge':
      return json(OFFLINE_VERDICT);
    case 'action':
      switch (hints.format) {
        case 'json':
          return json(
            schema === undefined
              ? { summary: `${OFFLINE_NOTICE} ${context.topic}: ${context.task}.` }
              : generateFromSchema(schema, { context }),
          );
        case 'code':
          return generateCode(hints.language, hints.artifactPaths[0], context);
        case 'markdown':
          return markdownDocument({ title: documentTitle(hints.outputType, hints.action, context), context });
        default:
          return textParagraph(hints.action, context);
      }
  }
}

/**
 * The caller's hints (`providerOptions.offline`), else what the request itself says: JSON when it
 * carries a schema, else text (a library user calling the model without hints).
 */
function offlineHints(request: ChatRequest): OfflineHints {
  return (
    request.providerOptions?.offline ?? {
      kind: 'action',
      role: 'user',
      action: 'reply',
      format: request.responseSchema ? 'json' : 'text',
      outputType: request.responseSchema?.name ?? 'Reply',
      language: undefined,
      artifactPaths: [],
      attempt: 1,
    }
  );
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** About four characters per token; marked as an estimate. */
export function estimateUsage(request: ChatRequest, text: string): TokenUsage {
  let promptChars = 0;
  for (const message of request.messages) promptChars += message.content.length;
  return {
    promptTokens: Math.ceil(promptChars / 4),
    completionTokens: Math.ceil(text.length / 4),
    estimated: true,
  };
}
