/**
 * Bounds the bytes of one model reply (`LIMITS.replyBytes`): a fetch whose response bodies fail
 * once they pass the bound, given to each provider's SDK, so a server streaming without end, a
 * 500 MB JSON body or an SSE line that never ends is refused with one message instead of growing
 * the process until it dies.
 */

import { formatBytes, LIMITS } from '../spec/limits.js';
import { ProviderError } from './provider-error.js';

/** The body passed the bound; found on the SDK's error (or its causes) by `replyTooLargeError`. */
class ReplyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the reply passed ${formatBytes(limit)}`);
    this.name = 'ReplyTooLarge';
  }
}

/** `base` (default: the global fetch), with every response body cut off by an error after `limit` bytes. */
export function cappedFetch(base: typeof fetch = fetch, limit: number = LIMITS.replyBytes): typeof fetch {
  const capped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await base(input, init);
    if (!response.body) return response;
    let read = 0;
    const counted = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        // Erroring the stream also cancels the body, which closes the connection.
        if (read > limit) controller.error(new ReplyTooLarge(limit));
        else controller.enqueue(chunk);
      },
    }));
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return capped as typeof fetch;
}

/** The error to throw when `error` (or one of its causes) is a reply cut off at the bound; else undefined. */
export function replyTooLargeError(error: unknown, endpoint: string): ProviderError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth += 1) {
    if (!(cause instanceof ReplyTooLarge)) continue;
    return new ProviderError('PROVIDER_REPLY_TOO_LARGE', `the reply from ${endpoint} passed ${formatBytes(cause.limit)}, the most sop reads of one reply (about 250,000 streamed tokens): the rest was not read`, {
      endpoint,
      // Asked again, a server that answers without end does so again.
      retryable: false,
      hint: 'bound the reply with the model\'s `max_tokens` (in the SOP\'s `model:`, or an alias\'s in sop.config.yaml); a server that streams without end is broken. The bound is fixed (docs/design.md, "Size limits")',
    });
  }
  return undefined;
}
