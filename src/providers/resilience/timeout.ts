import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { ProviderError, isProviderError } from '../provider-error.js';

/**
 * One call with a deadline: the model gets a signal that aborts on the caller's abort or after
 * `timeoutMs`, and the call is also raced against that signal so a model ignoring it cannot hang
 * the run. A timeout becomes PROVIDER_TIMEOUT (retryable when nothing had streamed in) unless the model already mapped it.
 * `timeoutMs` <= 0 or not finite: no deadline.
 */
export async function completeWithTimeout(model: ChatModel, request: ChatRequest, timeoutMs: number, endpoint: string): Promise<ChatResponse> {
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) return model.complete(request);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // What streamed in before the deadline: a reply cut while it was still coming is no silent server.
  let streamed = 0;
  const onDelta = (delta: string): void => {
    streamed += delta.length;
    request.onDelta?.(delta);
  };
  const completion = model.complete({ ...request, signal, onDelta });
  try {
    return await Promise.race([completion, aborted]);
  } catch (error) {
    if (!deadline.aborted || request.signal?.aborted) throw error;
    if (isProviderError(error) && error.code === 'PROVIDER_TIMEOUT') throw error;
    if (streamed > 0) {
      const cut = new ProviderError('PROVIDER_TIMEOUT', `${endpoint} was still streaming its reply after ${formatMs(timeoutMs)} (${streamed} characters so far): the provider \`timeout\` is for the whole call`, {
        endpoint,
        // Asked again, the same long reply is cut at the same point, and its tokens are paid each time.
        retryable: false,
        hint: 'raise the provider `timeout` in sop.config.yaml for replies this long',
      });
      // The cut reply is billed: the counts the provider had sent are on the model's own failure.
      cut.cutReply = await cutReplyOf(completion);
      throw cut;
    }
    throw new ProviderError('PROVIDER_TIMEOUT', `${endpoint} did not answer within ${formatMs(timeoutMs)}`, {
      endpoint,
      retryable: true,
      hint: 'raise the provider `timeout` in sop.config.yaml if the model is slow but working',
    });
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

/** How long a timed-out model may take to fail in turn (its stream stopped by the abort), for the counts it had read. */
const LATE_FAILURE_MS = 200;

/** The counts a model's failure carries, when it fails within `LATE_FAILURE_MS` (a model ignoring the abort never does). */
async function cutReplyOf(completion: Promise<ChatResponse>): Promise<ProviderError['cutReply']> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), LATE_FAILURE_MS);
  });
  try {
    const failure = await Promise.race([completion.then(() => undefined, (error: unknown) => error), late]);
    return isProviderError(failure) ? failure.cutReply : undefined;
  } finally {
    clearTimeout(timer);
  }
}
