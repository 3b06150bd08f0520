import pRetry, { AbortError } from 'p-retry';
import type { ChatModel, ChatRequest, ChatResponse, ResilienceEvent } from '../chat-model.js';
import { isProviderError, ProviderError, type ProviderErrorCode } from '../provider-error.js';
import { retryDelayMs } from './backoff.js';
import type { BreakerTransition } from './circuit-breaker.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import { completeWithTimeout } from './timeout.js';
import { cutReplyUsage } from '../cut-reply.js';

export interface ResilienceOptions {
  /** Deadline of one attempt (not of the whole call with its retries); <= 0: none. */
  timeoutMs: number;
  /** Retries after the first attempt, for retryable provider errors only. */
  maxRetries: number;
  /** First backoff before jitter (default 500). */
  minDelayMs?: number;
  /** Cap of any wait, including `Retry-After` (default 30 000). */
  maxDelayMs?: number;
  breaker?: { failureThreshold?: number; resetAfterMs?: number };
  /** Calls in flight per endpoint, shared by every model on that endpoint; unset: unlimited. */
  maxConcurrency?: number;
  /** Where the breaker and the concurrency limit of the model's endpoint live (a `SopRuntime`'s). */
  endpoints: EndpointRegistry;
  /** Told of every call's retries and breaker changes (each call's own `request.onEvent` is told too). */
  onEvent?: (event: ResilienceEvent) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock of the circuit breaker; injectable for tests (default Date.now). */
  now?: () => number;
  /** Jitter source in [0, 1); injectable for tests (default Math.random). */
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a model with a per-attempt timeout, retries with exponential backoff and jitter (honouring
 * `Retry-After`), a circuit breaker and a concurrency limit per endpoint. Only `ProviderError`s
 * with `retryable: true` are retried; the caller's abort stops everything at once.
 */
export function withResilience(model: ChatModel, options: ResilienceOptions): ChatModel {
  const endpoint = model.endpoint ?? model.provider;
  const sleep = options.sleep ?? defaultSleep;
  const emit = (request: ChatRequest, event: ResilienceEvent): void => {
    options.onEvent?.(event);
    request.onEvent?.(event);
  };
  const backoff = { minDelayMs: options.minDelayMs ?? 500, maxDelayMs: options.maxDelayMs ?? 30_000, random: options.random };
  const breaker = options.endpoints.breakerFor(endpoint, {
    failureThreshold: options.breaker?.failureThreshold ?? 5,
    resetAfterMs: options.breaker?.resetAfterMs ?? 30_000,
    now: options.now ?? Date.now,
  });
  const semaphore = options.maxConcurrency !== undefined && options.maxConcurrency > 0 ? options.endpoints.semaphoreFor(endpoint, options.maxConcurrency) : undefined;
  const report = (request: ChatRequest, transition: BreakerTransition | undefined): void => {
    if (transition) emit(request, { type: transition, endpoint });
  };

  async function attempt(request: ChatRequest, number: number): Promise<ChatResponse> {
    const release = await semaphore?.acquire(request.signal);
    let releaseShared: (() => void) | undefined;
    // The text of this attempt's reply as it streams in: what a cut reply is billed for.
    let received = '';
    const onDelta = (delta: string): void => {
      received += delta;
      request.onDelta?.(delta);
    };
    try {
      // Other processes' turns (a queue's workers): read at call time, the runtime's owner may set it late.
      releaseShared = await options.endpoints.shared?.acquire(endpoint, request.signal);
      report(request, breaker.admit());
      try {
        const response = await completeWithTimeout(model, { ...request, onDelta }, options.timeoutMs, endpoint);
        report(request, breaker.recordSuccess());
        return response;
      } catch (error) {
        await reportCut(request, error, received, number);
        if (request.signal?.aborted) breaker.release();
        else report(request, breaker.recordFailure(isProviderError(error) && error.retryable));
        // A `Retry-After` holds for every process sharing the endpoint, not only this call's retry.
        if (isProviderError(error) && error.retryAfterMs !== undefined) options.endpoints.shared?.pause(endpoint, error.retryAfterMs);
        throw error;
      }
    } finally {
      releaseShared?.();
      release?.();
    }
  }

  /**
   * A reply cut off after output arrived is billed by the provider: its usage goes to the call's
   * listener at once, before any retry, so the caller's budget counts every try.
   */
  async function reportCut(request: ChatRequest, error: unknown, received: string, number: number): Promise<void> {
    if (request.signal?.aborted || !isProviderError(error)) return;
    const usage = await cutReplyUsage(error, request, received);
    if (!usage) return;
    emit(request, { type: 'llm-call-cut', attempt: number, code: error.code as ProviderErrorCode, usage, endpoint });
  }

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const tries = { count: 0 };
    try {
      return await retried(request, tries);
    } catch (error) {
      throw tries.count > 1 ? waitedTooLittle(error) : error;
    }
  }

  /**
   * The last failure of a call whose server asked for a longer wait than `max_delay` allows: its
   * retries came too soon to help, and the hint says which setting waits longer.
   */
  function waitedTooLittle(error: unknown): unknown {
    if (!isProviderError(error) || error.retryAfterMs === undefined || error.retryAfterMs <= backoff.maxDelayMs) return error;
    const name = endpoint.split(' ')[0];
    const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
    const longer = new ProviderError(
      error.code as ProviderErrorCode,
      `${error.message}; the server asked to wait ${seconds(error.retryAfterMs)}, the retries waited at most ${seconds(backoff.maxDelayMs)} (max_delay)`,
      {
        endpoint: error.endpoint,
        retryable: error.retryable,
        retryAfterMs: error.retryAfterMs,
        ...(error.status === undefined ? {} : { status: error.status }),
        hint: `wait ${seconds(error.retryAfterMs)} and resume, or raise providers.${name}.max_delay to ${Math.ceil(error.retryAfterMs / 1000)} so that retries wait as long as the server asks`,
      },
    );
    longer.cutReply = error.cutReply;
    return longer;
  }

  async function retried(request: ChatRequest, tries: { count: number }): Promise<ChatResponse> {
    return pRetry(
      async () => {
        try {
          tries.count += 1;
          return await attempt(request, tries.count);
        } catch (error) {
          // The caller's abort ends the call with the caller's reason, never as a provider failure.
          if (request.signal?.aborted) throw new AbortError(asError(request.signal.reason));
          throw error;
        }
      },
      {
        retries: options.maxRetries,
        // p-retry runs the loop and stops on abort; the wait itself happens in shouldRetry (see backoff.ts).
        minTimeout: 0,
        factor: 2,
        randomize: true,
        ...(request.signal ? { signal: request.signal } : {}),
        shouldRetry: async ({ error, attemptNumber, retriesConsumed }) => {
          if (request.signal?.aborted || !isProviderError(error) || !error.retryable) return false;
          // The caller's budget is spent (cut replies it was told of count): the call ends with this error.
          if (request.mayRetry?.() === false) return false;
          const delayMs = retryDelayMs(retriesConsumed, error.retryAfterMs, backoff);
          emit(request, {
            type: 'llm-call-retry',
            attempt: attemptNumber,
            code: error.code as ProviderErrorCode,
            ...(error.status === undefined ? {} : { status: error.status }),
            delayMs,
            endpoint,
          });
          await abortable(sleep(delayMs), request.signal);
          return true;
        },
      },
    );
  }

  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}

/** Rejects with the signal's reason as soon as it aborts, whatever the wrapped promise does. */
async function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
