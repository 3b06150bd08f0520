/**
 * The one contract every model implements: the built-in offline model now, real providers
 * (OpenAI-compatible, Ollama, Anthropic) and replay later. The runtime only sees this.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Why the runner makes a call; lets deterministic models honour the contract and logs explain it. */
export type ChatPurpose =
  | {
      kind: 'action';
      role: string;
      action: string;
      format: 'text' | 'markdown' | 'json' | 'code';
      outputType: string;
      /** `format: code`: the language (from `output.language` or the artifact's extension). */
      language: string | undefined;
      /** Paths the output will be written to, when known before the call. */
      artifactPaths: string[];
      /** Set when re-asking after invalid output (1-based attempt number). */
      attempt: number;
    }
  | {
      kind: 'react-choice';
      role: string;
      /** Action ids the model may choose, plus `done`. */
      options: string[];
      /** Actions already chosen for this news, in order. */
      chosen: string[];
    }
  | {
      kind: 'plan';
      role: string;
      options: string[];
    };

export interface ChatRequest {
  messages: ChatMessage[];
  /** Model name as the provider knows it. */
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** When the reply must be JSON: the schema it must satisfy (sent natively where supported). */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  purpose: ChatPurpose;
  signal?: AbortSignal;
  /** Streaming providers call this with each text delta as it arrives (progress display). */
  onDelta?: (delta: string) => void;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when counted by estimate rather than reported by the provider. */
  estimated: boolean;
}

export interface ChatResponse {
  text: string;
  usage: TokenUsage;
  /** The model that answered, as the provider reports it. */
  model: string;
  /** Cost in USD, set by the cost layer from usage and prices; absent when unknown. */
  costUsd?: number;
  /** Set by the cache/replay layers when no live call was made. */
  cached?: 'cache' | 'replay';
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
