import { SopError, type ErrorCode } from '../errors/index.js';

export type ProviderErrorCode = Extract<
  ErrorCode,
  'PROVIDER_AUTH' | 'PROVIDER_NOT_FOUND' | 'PROVIDER_BAD_REQUEST' | 'PROVIDER_RATE_LIMITED' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_TIMEOUT' | 'PROVIDER_REPLY_TOO_LARGE' | 'REPLAY_MISS'
>;

/**
 * A failed model call. `retryable` tells the resilience layer whether another attempt may succeed
 * (rate limits, 5xx, connection errors, timeouts) or would fail the same way (bad key, unknown model).
 */
export class ProviderError extends SopError {
  readonly retryable: boolean;
  /** From `Retry-After` / `retry-after-ms`, when the provider said how long to wait. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Which endpoint failed (`openai https://api.openai.com/v1`), for the breaker and messages. */
  readonly endpoint: string;
  /**
   * What had arrived of a reply cut off (a stream dropped or ended by an error event): the token
   * counts the provider sent (either may be missing) and the output not passed to `onDelta` (tool
   * calls' arguments). Set by the provider; the resilience layer estimates the rest from the text
   * received (`cut-reply.ts`), since the provider bills a cut reply's tokens.
   */
  cutReply: { promptTokens?: number; completionTokens?: number; unstreamed?: string } | undefined;

  constructor(
    code: ProviderErrorCode,
    message: string,
    options: { endpoint: string; retryable: boolean; retryAfterMs?: number; status?: number; hint?: string; cause?: unknown },
  ) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.name = 'ProviderError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.endpoint = options.endpoint;
    this.cutReply = undefined;
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}
