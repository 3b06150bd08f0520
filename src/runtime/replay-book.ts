import { hash } from 'node:crypto';
import { olderContractMessages } from '../providers/cache/older-wording.js';
import type { ChatRequest, ChatResponse } from '../providers/chat-model.js';
import type { CutUsage, JournalEntry } from '../store/index.js';

/**
 * A stable key of a request: what decides its answer (model, options, messages, schema, tools)
 * and the offline hints, which decide the offline model's answer and tell apart calls of
 * different actions that send the same text. The hints are hashed under the name `purpose` they
 * had before `providerOptions` existed, so journals written then keep their keys.
 */
export function requestKey(modelKey: string, request: ChatRequest): string {
  const { messages, model, temperature, maxTokens, responseSchema, tools, toolChoice } = request;
  const purpose = request.providerOptions?.offline;
  // One-shot `hash` (Node >= 20.12) skips the Hash object createHash builds for every call. In
  // base64url, as the journal writes it (a hex key of an older journal is read back so too).
  return hash('sha256', JSON.stringify({ modelKey, model, temperature, maxTokens, messages, responseSchema, purpose, tools, toolChoice }), 'base64url');
}

/**
 * A request's key, made when first read or, at the latest, once the event loop has run what it had
 * (`soon`). The run journal needs it only when the answer arrives: a wide round starts its calls
 * and then waits out their latency, so its keys are hashed in that wait, neither while the calls
 * start nor while their answers are taken. The request is read then, so it must not change before.
 */
export class RequestKey {
  private text: string | undefined;
  private request: ChatRequest | undefined;

  constructor(
    private readonly modelKey: string,
    request: ChatRequest,
  ) {
    this.request = request;
  }

  get value(): string {
    if (this.text === undefined) {
      this.text = requestKey(this.modelKey, this.request as ChatRequest);
      this.request = undefined;
    }
    return this.text;
  }

  /** Makes the key after this turn of the event loop (with every other key asked for in it), unless it was read before. */
  soon(): this {
    if (this.text !== undefined) return this;
    waiting.push(this);
    if (waiting.length === 1) setImmediate(makeWaitingKeys);
    return this;
  }
}

/** Keys to make after this turn of the event loop (process-wide: only a deferred computation, the same for any run). */
let waiting: RequestKey[] = [];

function makeWaitingKeys(): void {
  const keys = waiting;
  waiting = [];
  for (const key of keys) void key.value;
}

/**
 * The answers a crashed or interrupted process already received after its last checkpoint
 * (the journal's `call-answered` lines), for the resumed run to give again instead of calling the model: per request
 * key, in the order they were answered. Each answer is given once.
 */
export class ReplayBook {
  private readonly queues = new Map<string, JournalEntry[]>();

  /** Keeps the entries of rounds after `afterRound` (earlier rounds are inside the checkpoint). */
  constructor(entries: readonly JournalEntry[], afterRound: number) {
    for (const entry of entries) {
      if (entry.round <= afterRound) continue;
      this.left += 1;
      const queue = this.queues.get(entry.key);
      if (queue) queue.push(entry);
      else this.queues.set(entry.key, [entry]);
    }
  }

  private left = 0;

  /** Answers waiting to be given. */
  get size(): number {
    return this.left;
  }

  /**
   * The recorded answer to a request whose key missed, as a runner before 2026-12-08 asked it (its
   * system prompt doubled the full stop of a message description ending with one): a run it
   * interrupted is resumed without paying again for what it was answered. Undefined when nothing
   * is left to give or the wording was the same.
   */
  takeOlderWording(modelKey: string, request: ChatRequest): RecordedAnswer | undefined {
    if (this.size === 0) return undefined;
    const messages = olderContractMessages(request.messages);
    return messages ? this.take(requestKey(modelKey, { ...request, messages })) : undefined;
  }

  /** The recorded answer to this request, once; undefined when none is left. */
  take(key: string): RecordedAnswer | undefined {
    const entry = this.queues.get(key)?.shift();
    if (!entry) return undefined;
    this.left -= 1;
    const before = attemptsBefore(entry);
    return {
      ...before,
      response: {
        text: entry.text,
        ...(entry.toolCalls && entry.toolCalls.length > 0 ? { toolCalls: entry.toolCalls.map((call) => ({ ...call })) } : {}),
        model: entry.model,
        usage: { promptTokens: entry.promptTokens, completionTokens: entry.completionTokens, estimated: entry.estimated },
        finishReason: entry.finishReason ?? 'stop',
        ...(entry.costUsd === undefined ? {} : { costUsd: entry.costUsd }),
      },
      costUsd: entry.costUsd,
      cached: entry.cached !== undefined,
    };
  }
}

/** An answer the journal gave back, with what its attempts before it were billed. */
export interface RecordedAnswer {
  response: ChatResponse;
  costUsd: number | undefined;
  cached: boolean;
  /** Attempts retried before the answer. */
  retries?: number;
  /** Attempts cut off before the answer (paid). */
  cut?: CutUsage;
}

/** An answer line's retries and cut attempts, when well formed (a line edited by hand loses them, not the answer). */
function attemptsBefore(entry: JournalEntry): Pick<RecordedAnswer, 'retries' | 'cut'> {
  const before: Pick<RecordedAnswer, 'retries' | 'cut'> = {};
  if (Number.isSafeInteger(entry.retries) && (entry.retries as number) > 0) before.retries = entry.retries as number;
  const cut = entry.cut as Partial<CutUsage> | undefined;
  if (cut && isCount(cut.promptTokens) && isCount(cut.completionTokens) && (cut.costUsd === undefined || (Number.isFinite(cut.costUsd) && cut.costUsd >= 0))) {
    before.cut = { promptTokens: cut.promptTokens, completionTokens: cut.completionTokens, estimated: cut.estimated === true, ...(cut.costUsd === undefined ? {} : { costUsd: cut.costUsd }) };
  }
  return before;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
