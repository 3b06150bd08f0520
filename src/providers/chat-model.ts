/**
 * The one contract every model implements: the built-in offline model, real providers
 * (OpenAI-compatible, Ollama, Anthropic), replay. The runtime only sees this. It knows nothing of
 * SOPs: what only one provider needs travels in `providerOptions` (`docs/design.md`).
 */

import type { FinishReason } from './finish-reason.js';
import type { OfflineHints } from './offline/hints.js';
import type { ProviderErrorCode } from './provider-error.js';
import type { BreakerTransition } from './resilience/circuit-breaker.js';
import type { ScriptHints } from './script/hints.js';

/**
 * One turn of the conversation. An assistant turn may ask for tool calls; each is answered by a
 * `tool` turn carrying the call's id (the order of the calls).
 */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | ToolResultMessage;

export interface ToolResultMessage {
  role: 'tool';
  /** The `ToolCall.id` this answers. */
  toolCallId: string;
  /** The tool's wire name (Ollama and Anthropic want it; OpenAI ignores it). */
  toolName: string;
  content: string;
  /** The tool failed (refused, invalid arguments, timed out): `content` says why. */
  isError?: boolean;
}

/** A function the model may call, as sent on the wire. */
export interface ToolSpec {
  /**
   * Wire-safe name, `[A-Za-z0-9_-]{1,64}` (what OpenAI and Anthropic accept): the runtime maps
   * SOP names such as `fs.read` to it and back.
   */
  name: string;
  description: string;
  /** JSON Schema of the arguments object (`type: object`). */
  parameters: Record<string, unknown>;
  /**
   * The tool may change things outside the caller's sandbox (an MCP tool not annotated read-only).
   * Never sent: a model that calls tools unasked (the offline model) leaves such a tool alone.
   */
  changesOutsideWorkspace?: boolean;
}

/** A call the model asked for. */
export interface ToolCall {
  /** The provider's id for the call; generated (`call_<n>`) when the provider gives none (Ollama). */
  id: string;
  /** The tool's wire name. */
  name: string;
  /**
   * The arguments as JSON text, as the model wrote them (OpenAI sends text; Ollama and Anthropic
   * send objects, stringified with JSON.stringify). The runtime parses and validates them.
   */
  arguments: string;
}

/**
 * Options for particular providers, by provider name, as the AI SDK's `providerOptions`: each
 * provider reads its own entry and ignores the others, so a caller may fill several.
 */
export interface ProviderOptions {
  /** Read by the built-in offline model (and the scripted model, which falls back to it). */
  offline?: OfflineHints;
  /** Read by the scripted model only (`--model script:FILE`): the call's attempt and foreach item. */
  script?: ScriptHints;
}

/** What the resilience layer reports about a call: a retry, or its endpoint's circuit breaker changing state. */
export type ResilienceEvent =
  | {
      type: 'llm-call-retry';
      /** 1-based number of the attempt that failed; the next attempt is `attempt + 1`. */
      attempt: number;
      code: ProviderErrorCode;
      status?: number;
      /** How long the layer waits before the next attempt. */
      delayMs: number;
      endpoint: string;
    }
  /**
   * An attempt whose reply was cut off after output had arrived (a dropped stream, a stream
   * timeout, an error event mid-stream): the provider bills `usage` (see `cut-reply.ts`). Told
   * before the attempt is retried or the call fails.
   */
  | {
      type: 'llm-call-cut';
      /** 1-based number of the attempt that was cut. */
      attempt: number;
      code: ProviderErrorCode;
      usage: TokenUsage;
      endpoint: string;
    }
  | { type: BreakerTransition; endpoint: string };

export interface ChatRequest {
  messages: ChatMessage[];
  /** Model name as the provider knows it. */
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** When the reply must be JSON: the schema it must satisfy (sent natively where supported). */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  /** Options only some providers read (the offline model's hints); never part of a cache key. */
  providerOptions?: ProviderOptions;
  /**
   * The caller's name for this call, for people (`role "pm", action "write_prd"`): kept with a
   * recorded exchange and named when a replay misses. Never sent, never part of a key.
   */
  label?: string;
  /** Functions the model may call; the reply then may carry `toolCalls` instead of (or with) text. */
  tools?: ToolSpec[];
  /**
   * `auto` (default with tools): the model decides. `none`: the tools stay declared (the history
   * refers to them) but the model must answer with text: the runner's `max_tool_calls` is reached.
   */
  toolChoice?: 'auto' | 'none';
  /** Aborts when the run is stopped (`runSop`'s `signal`): a model should stop its request, or the stop waits for the reply. */
  signal?: AbortSignal;
  /** Streaming providers call this with each text delta as it arrives (progress display). */
  onDelta?: (delta: string) => void;
  /**
   * Told a live answer the moment it is complete and priced; no layer above stores it (cache,
   * cassette) or sees it before the promise returned settles: the run's journal writes it then
   * (with the answers of the same event-loop turn), so a process killed after that point never
   * asks for the call again (`docs/design.md`).
   */
  onAnswer?: (response: ChatResponse) => void | Promise<void>;
  /** Told of this call's retries, cut replies and of its endpoint's breaker changes (the resilience layer). */
  onEvent?: (event: ResilienceEvent) => void;
  /**
   * Asked before each retry (the resilience layer): false ends the call with the failed attempt's
   * error, as when the caller's budget is spent by the replies cut so far.
   */
  mayRetry?: () => boolean;
}

export type { FinishReason } from './finish-reason.js';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when counted by estimate rather than reported by the provider. */
  estimated: boolean;
}

export interface ChatResponse {
  /** The reply's text; may be empty when the model only asks for tool calls. */
  text: string;
  /** Tool calls the model asked for, in order; absent or empty when it answered. */
  toolCalls?: ToolCall[];
  usage: TokenUsage;
  /** The model that answered, as the provider reports it. */
  model: string;
  /** Cost in USD, set by the cost layer from usage and prices; absent when unknown. */
  costUsd?: number;
  /** Set by the cache/replay layers when no live call was made. */
  cached?: 'cache' | 'replay';
  /**
   * Why the model stopped (`finish-reason.ts`): `stop`, `length`, `tool_calls`, `content_filter`
   * or the provider's own word. Absent (a ChatModel of a library user's, an answer stored before
   * it was kept) means `stop`.
   */
  finishReason?: FinishReason;
}

export interface ChatModelCapabilities {
  nativeJsonSchema: boolean;
  tools: boolean;
  streaming: boolean;
}

export interface ChatModel {
  /** Provider kind: `offline`, `openai`, ... */
  readonly provider: string;
  /** Where calls go (`https://api.openai.com/v1`), the key of circuit breakers and concurrency limits. */
  readonly endpoint?: string;
  readonly capabilities: ChatModelCapabilities;
  complete(request: ChatRequest): Promise<ChatResponse>;
}

/**
 * An SDK client's own timeout, set to setTimeout's ceiling: the SDKs always arm a timer (Anthropic's
 * default is 10 minutes), and a call's deadline is the caller's signal (`timeout` of the provider).
 */
export const SDK_NO_TIMEOUT_MS = 2_147_483_647;
