import { SopError, isSopError } from '../errors/index.js';
import type { ChatMessage, ChatRequest, ChatResponse, ResilienceEvent, TokenUsage, ToolSpec } from '../providers/chat-model.js';
import type { CutUsage, JournalEntry } from '../store/index.js';
import { usdFor } from '../providers/cost/estimate.js';
import { ProviderError, isProviderError } from '../providers/provider-error.js';
import type { OfflineHints } from '../providers/offline/hints.js';
import type { ScriptHints } from '../providers/script/hints.js';
import type { Redactor } from '../providers/redact.js';
import type { ResolvedModelRef } from '../spec/resolved.js';
import { answerMisfit } from './answer-shape.js';
import { checkCallCost } from './budget.js';
import type { EventScope } from './event-recorder.js';
import type { PromptMessage, RunEventBody } from './events.js';
import { isOffline, type ResolvedModel } from './models.js';
import { RequestKey, type RecordedAnswer } from './replay-book.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';

export interface ModelCall {
  round: number;
  role: string;
  action?: string;
  /** foreach index, when the action fans out. */
  index?: number;
  /** The call's own model references, nearest first (action, role); `settings.model` applies last. */
  refs: Array<ResolvedModelRef | undefined>;
  messages: ChatMessage[];
  /**
   * What the call is for, told to the offline model so it answers in kind (other providers ignore
   * them); their `kind` is the call's `purpose` in `llm-call-*` events and its label.
   */
  offlineHints: OfflineHints;
  /** The call's attempt and foreach item, for the scripted model (`--model script:FILE`). */
  scriptHints?: ScriptHints;
  responseSchema?: { name: string; schema: Record<string, unknown> };
  /** Tools offered (wire names) and whether the model may still call them. */
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'none';
  /** 1-based: the ask of this output (re-asks after an invalid reply count), not a gate's revision. */
  attempt: number;
  /** Calls of an action run: which output, 0 the first, N the N-th revision a gate asked for. */
  revision?: number;
}

type CallPlace = { round: number; role: string; action?: string; index?: number };

/**
 * One model call with everything around it: the model for its references, interrupt and budget
 * checks (the limit reached, or this call's estimated cost not fitting in what is left), the
 * concurrency limit, `llm-call-*` events (retries and breaker changes included), usage and cost
 * accounting, live text progress, and failures named by role and action.
 */
export function callModel(state: RunState, events: EventScope, call: ModelCall): Promise<ChatResponse> {
  // A promise chain, not an async function: no suspended frame per call in flight (a wide fan-out
  // holds a thousand), and with a slot free the model is asked in this very turn.
  if (state.signal?.aborted) return Promise.reject(new RunHalt('interrupted'));
  const where: CallPlace = { round: call.round, role: call.role };
  if (call.action !== undefined) where.action = call.action;
  if (call.index !== undefined) where.index = call.index;
  let resolved: ResolvedModel;
  try {
    resolved = state.models.forCall(...call.refs);
  } catch (error) {
    return Promise.reject(error);
  }
  if (state.usage.exhausted()) return Promise.reject(budgetHalt(state, where, 'spent'));
  return state.limiter.run(() => {
    if (state.signal?.aborted) throw new RunHalt('interrupted');
    if (state.usage.exhausted()) throw budgetHalt(state, where, 'spent');
    const reserved = reserveEstimate(state, resolved, call, where);
    if (reserved === undefined) return complete(state, events, call, resolved, where, 0);
    return complete(state, events, call, resolved, where, reserved.usd).finally(reserved.release);
  });
}

/**
 * Asks the model and accounts for its answer. A promise chain, not an async function, like
 * `callModel`: a suspended async frame per call in flight was a wide fan-out's largest young object.
 */
function complete(state: RunState, events: EventScope, call: ModelCall, resolved: ResolvedModel, where: CallPlace, reservedUsd: number): Promise<ChatResponse> {
  const start = placed('llm-call-start', where) as Extract<RunEventBody, { type: 'llm-call-start' }>;
  start.purpose = call.offlineHints.kind;
  start.model = resolved.key;
  start.attempt = call.attempt;
  if (call.revision !== undefined) start.revision = call.revision;
  if (state.eventPrompts) start.messages = call.messages.map((message) => promptMessage(message, state.runtime.secrets.mask));
  events.emit(start);
  const started = performance.now();
  // Retried and cut attempts before the answer go into its journal line (the offline model has none).
  const before: AttemptsBefore | undefined = isOffline(resolved) ? undefined : { retries: 0, cut: undefined };
  const request = chatRequest(state, events, call, resolved, where, reservedUsd, before);
  const key = state.journal || state.replay ? new RequestKey(resolved.key, request) : undefined;
  // A resumed run first gives the answers its interrupted process already received (not re-billed).
  const recorded = state.replay && key ? (state.replay.take(key.value) ?? state.replay.takeOlderWording(resolved.key, request)) : undefined;
  if (recorded) return Promise.resolve(answered(state, events, call, resolved, where, started, { ...recorded.response }, recorded));
  // Answered means saved: a live answer is journaled the moment the provider layers complete it
  // (`onAnswer`), before the cache stores it; answers that bypass those layers (offline, cache
  // hits) right after they arrive. Either way the answer is used only once its line is written.
  // A failed write inside the provider layers is reported once the call returns, so its error is
  // the run's, not a provider failure.
  // Without a replay book the key is needed only with the answer: it is made while the call waits.
  const journal = state.journal && key ? journalOnce(state.journal, call.round, key.soon(), resolved, state.runtime.secrets.mask, before) : undefined;
  if (journal) request.onAnswer = (answer) => journal(answer).catch(() => undefined);
  let asked: Promise<ChatResponse>;
  try {
    asked = resolved.model.complete(request);
  } catch (error) {
    asked = Promise.reject(error);
  }
  return asked.then(
    (response) => {
      const misfit = answerMisfit(response);
      if (misfit !== undefined) throw misfitError(misfit, resolved, where, state.runtime.secrets.mask);
      return journal
        ? journal(response).then(() => answered(state, events, call, resolved, where, started, response, undefined))
        : answered(state, events, call, resolved, where, started, response, undefined);
    },
    (error: unknown) => {
      if (state.signal?.aborted) throw new RunHalt('interrupted');
      // Cut replies spent the budget: the run stops as any spent budget stops it, not as a provider failure.
      if (request.mayRetry && isProviderError(error) && error.retryable) {
        const retry = retryFits(state, resolved, call, reservedUsd);
        if (!retry.fits) throw budgetHalt(state, where, retry.estimateUsd === undefined ? 'spent' : 'estimate', retry.estimateUsd);
      }
      throw callError(error, resolved, where, state.runtime.secrets.mask);
    },
  );
}

/** An answer (live, or recorded before a resume) counted and reported as the call's `llm-call-end`. */
function answered(
  state: RunState,
  events: EventScope,
  call: ModelCall,
  resolved: ResolvedModel,
  where: CallPlace,
  started: number,
  response: ChatResponse,
  recorded: RecordedAnswer | undefined,
): ChatResponse {
  if (isOffline(resolved)) state.offlineAnswered = true;
  // The attempts before a replayed answer were paid by the process that received it: counted again, as it had.
  if (recorded?.cut) state.usage.recordCut(call.role, call.action, recorded.cut, recorded.cut.costUsd);
  for (let retry = 0; retry < (recorded?.retries ?? 0); retry += 1) state.usage.countRetry(call.role, call.action);
  const cached = recorded ? recorded.cached : response.cached !== undefined;
  const costUsd = recorded ? recorded.costUsd : liveCost(response, resolved);
  state.usage.record(call.role, call.action, { modelKey: resolved.key, usage: response.usage, costUsd, cached });
  // Set field by field in the order it is written (see `setAnswerFigures`).
  const event = placed('llm-call-end', where) as Extract<RunEventBody, { type: 'llm-call-end' }>;
  event.purpose = call.offlineHints.kind;
  event.model = resolved.key;
  event.attempt = call.attempt;
  if (call.revision !== undefined) event.revision = call.revision;
  event.responseModel = response.model;
  setAnswerFigures(event, response, costUsd);
  if (recorded) event.resumed = true;
  event.durationMs = Math.round(performance.now() - started);
  events.emit(event);
  return response;
}

/** What the `llm-call-end` event and the journal's answer line both say of an answer. */
type AnswerFigures = Pick<JournalEntry, 'promptTokens' | 'completionTokens' | 'estimated' | 'costUsd' | 'cached' | 'finishReason'>;

/**
 * An answer's token counts, cost, source and stop reason, set field by field in the order they are
 * written (a spread costs ~3x a field, and this runs twice per call): `stop` and unknown costs are
 * left out.
 */
function setAnswerFigures(target: AnswerFigures, response: ChatResponse, costUsd: number | undefined): void {
  target.promptTokens = response.usage.promptTokens;
  target.completionTokens = response.usage.completionTokens;
  target.estimated = response.usage.estimated;
  if (costUsd !== undefined) target.costUsd = costUsd;
  if (response.cached) target.cached = response.cached;
  if (response.finishReason && response.finishReason !== 'stop') target.finishReason = response.finishReason;
}

/** An event's first fields: its type and where the call happens (action and index only when known). */
function placed(type: 'llm-call-start' | 'llm-call-end', where: CallPlace): { type: string; round: number; role: string; action?: string; index?: number } {
  const event: { type: string; round: number; role: string; action?: string; index?: number } = { type, round: where.round, role: where.role };
  if (where.action !== undefined) event.action = where.action;
  if (where.index !== undefined) event.index = where.index;
  return event;
}

/** The request for the provider (fields set one by one: this runs for every call). */
function chatRequest(state: RunState, events: EventScope, call: ModelCall, resolved: ResolvedModel, where: CallPlace, reservedUsd: number, before: AttemptsBefore | undefined): ChatRequest {
  const providerOptions: NonNullable<ChatRequest['providerOptions']> = { offline: call.offlineHints };
  if (call.scriptHints) providerOptions.script = call.scriptHints;
  const request: ChatRequest = { messages: call.messages, model: resolved.modelName };
  if (resolved.temperature !== undefined) request.temperature = resolved.temperature;
  if (resolved.maxTokens !== undefined) request.maxTokens = resolved.maxTokens;
  if (call.responseSchema) request.responseSchema = call.responseSchema;
  if (call.tools && call.tools.length > 0) {
    request.tools = call.tools;
    if (call.toolChoice) request.toolChoice = call.toolChoice;
  }
  request.providerOptions = providerOptions;
  request.label = callLabel(call);
  // Not `state.signal`: a drain lets the call finish (and be journaled) while nothing new starts.
  if (state.callSignal) request.signal = state.callSignal;
  if (state.onDelta) request.onDelta = deltaCounter(state.onDelta, where);
  // Retries, cut replies and breaker changes of this call become run events; the offline model has none.
  if (before) {
    request.onEvent = (event: ResilienceEvent) => recordProviderEvent(state, events, where, resolved, event, before);
    // Cut replies are billed: with a budget, retrying stops once they have spent it.
    const { investment, maxTokens } = state.usage.limits;
    if (investment !== undefined || maxTokens !== undefined) request.mayRetry = () => retryFits(state, resolved, call, reservedUsd).fits;
  }
  return request;
}

/**
 * Whether the budget leaves room for another attempt of a call: the limit not reached and, with an
 * `investment` and a priced model, the attempt's estimate fitting in what is left besides the calls
 * in flight, as before a call (this call's own reservation, `reservedUsd`, is still held: left out).
 * The estimate is given when it does not fit.
 */
function retryFits(state: RunState, resolved: ResolvedModel, call: ModelCall, reservedUsd: number): { fits: boolean; estimateUsd?: number } {
  if (state.usage.exhausted()) return { fits: false };
  const { investment } = state.usage.limits;
  if (investment === undefined || !resolved.price) return { fits: true };
  const check = checkCallCost(resolved.price, call.messages, call.responseSchema, resolved.maxTokens, investment - (state.usage.committedUsd() - reservedUsd));
  return check === undefined || check.fits ? { fits: true } : check;
}

/** A message as `--event-prompts` shows it: its text, and the tool calls asked or the tool answering; secrets masked. */
function promptMessage(message: ChatMessage, mask: Redactor): PromptMessage {
  const shown: PromptMessage = { role: message.role, content: mask(message.content) };
  if (message.role === 'tool') shown.toolName = message.toolName;
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    shown.toolCalls = message.toolCalls.map((toolCall) => ({ name: toolCall.name, arguments: mask(toolCall.arguments) }));
  }
  return shown;
}

/** What a live (or cached) answer cost: nothing from the cache, else the cost layer's figure or the model's price. */
function liveCost(response: ChatResponse, resolved: ResolvedModel): number | undefined {
  if (response.cached !== undefined) return 0;
  return response.costUsd ?? (resolved.price ? usdFor(resolved.price, response.usage.promptTokens, response.usage.completionTokens) : undefined);
}

/**
 * Appends a call's answer to the run's response journal, once (the first of the two places that
 * try wins), with the attempts retried and cut before it; settles once it is written.
 */
function journalOnce(journal: NonNullable<RunState['journal']>, round: number, key: RequestKey, resolved: ResolvedModel, mask: Redactor, before: AttemptsBefore | undefined): (response: ChatResponse) => Promise<void> {
  let saved: Promise<void> | undefined;
  return (response) => {
    if (saved) return saved;
    const costUsd = liveCost(response, resolved);
    // Field by field in the order it is written, like the event (see `setAnswerFigures`).
    const entry: JournalEntry = { round, key: key.value, text: mask(response.text) } as JournalEntry;
    if (response.toolCalls && response.toolCalls.length > 0) entry.toolCalls = response.toolCalls.map((toolCall) => ({ ...toolCall, arguments: mask(toolCall.arguments) }));
    entry.model = response.model;
    setAnswerFigures(entry, response, costUsd);
    if (before && before.retries > 0) entry.retries = before.retries;
    if (before?.cut) entry.cut = before.cut;
    saved = journal.append(entry);
    return saved;
  };
}

/**
 * With an `investment` and a priced model: refuses the call (budget halt) when what is spent, plus
 * what calls in flight may cost, plus this call's estimate would exceed it; else sets the estimate
 * aside until the call ends (returned with the function that releases it).
 */
function reserveEstimate(state: RunState, resolved: ResolvedModel, call: ModelCall, where: CallPlace): { usd: number; release: () => void } | undefined {
  const { investment } = state.usage.limits;
  if (investment === undefined || !resolved.price) return undefined;
  const check = checkCallCost(resolved.price, call.messages, call.responseSchema, resolved.maxTokens, investment - state.usage.committedUsd());
  if (check === undefined) return undefined;
  if (!check.fits) throw budgetHalt(state, where, 'estimate', check.estimateUsd);
  return { usd: check.estimateUsd, release: state.usage.reserve(check.estimateUsd) };
}

function budgetHalt(state: RunState, where: CallPlace, reason: 'estimate' | 'spent', estimateUsd?: number): RunHalt {
  state.budgetStop ??= {
    reason,
    role: where.role,
    ...(where.action === undefined ? {} : { action: where.action }),
    ...(estimateUsd === undefined ? {} : { estimateUsd }),
  };
  return new RunHalt('budget');
}

/**
 * Retries, cut replies and breaker changes of this call, as run events; retries are counted apart
 * from re-asks, and a cut reply's tokens and cost count as the provider bills them.
 */
function recordProviderEvent(state: RunState, events: EventScope, where: CallPlace, resolved: ResolvedModel, event: ResilienceEvent, before: AttemptsBefore): void {
  const mask = state.runtime.secrets.mask;
  if (event.type === 'llm-call-cut') {
    const { usage } = event;
    const costUsd = resolved.price ? usdFor(resolved.price, usage.promptTokens, usage.completionTokens) : undefined;
    state.usage.recordCut(where.role, where.action, usage, costUsd);
    before.cut = addCut(before.cut, usage, costUsd);
    events.emit({
      type: 'llm-call-cut',
      ...where,
      model: resolved.key,
      attempt: event.attempt,
      code: event.code,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      estimated: usage.estimated,
      ...(costUsd === undefined ? {} : { costUsd }),
      endpoint: mask(event.endpoint),
    });
  } else if (event.type === 'llm-call-retry') {
    state.usage.countRetry(where.role, where.action);
    before.retries += 1;
    events.emit({
      type: 'llm-call-retry',
      ...where,
      attempt: event.attempt,
      code: event.code,
      ...(event.status === undefined ? {} : { status: event.status }),
      delayMs: event.delayMs,
      endpoint: mask(event.endpoint),
    });
  } else {
    events.emit({ type: event.type, ...where, endpoint: mask(event.endpoint) });
  }
}

/** A call's attempts before its answer: how many were retried, and what the cut ones were billed. */
interface AttemptsBefore {
  retries: number;
  cut: CutUsage | undefined;
}

/** `sum` with one more cut attempt's tokens and cost (a cost stays known only while every attempt's is). */
function addCut(sum: CutUsage | undefined, usage: TokenUsage, costUsd: number | undefined): CutUsage {
  if (!sum) return { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated, ...(costUsd === undefined ? {} : { costUsd }) };
  const total: CutUsage = { promptTokens: sum.promptTokens + usage.promptTokens, completionTokens: sum.completionTokens + usage.completionTokens, estimated: sum.estimated || usage.estimated };
  if (sum.costUsd !== undefined && costUsd !== undefined) total.costUsd = sum.costUsd + costUsd;
  return total;
}

/** The call in words, for a cassette and a replay miss: `role "pm", action "write_prd"`, `role "qa", react-choice call`. */
function callLabel(call: ModelCall): string {
  const purpose = call.offlineHints.kind;
  if (call.action === undefined) return `role "${call.role}", ${purpose} call`;
  return `role "${call.role}", action "${call.action}"${purpose === 'action' ? '' : `, ${purpose} call`}`;
}

/** Live progress of a streamed reply: characters received so far (never logged). */
function deltaCounter(listener: NonNullable<RunState['onDelta']>, where: CallPlace): (delta: string) => void {
  let chars = 0;
  return (delta) => {
    chars += delta.length;
    try {
      listener({ ...where, chars });
    } catch {
      // A failing progress display must not break the call.
    }
  };
}

/** A reply that breaks the `ChatResponse` contract (a library user's own model): the call fails, naming the field. */
function misfitError(misfit: string, resolved: ResolvedModel, where: CallPlace, mask: Redactor): SopError {
  const place = `role ${where.role}${where.action === undefined ? '' : `, action ${where.action}`}`;
  return new SopError('PROVIDER_FAILED', mask(`${place}: model ${resolved.key} (${resolved.model.provider}) gave a reply sop cannot use: ${misfit}`), {
    hint: 'complete() must resolve with { text: string, usage: { promptTokens, completionTokens, estimated }, model: string } (the ChatResponse type, docs/library.md)',
  });
}

/** A failed call as the run's error: the provider's code kept, the role and action named, secrets masked. */
function callError(error: unknown, resolved: ResolvedModel, where: CallPlace, mask: Redactor): SopError {
  const place = `role ${where.role}${where.action === undefined ? '' : `, action ${where.action}`}`;
  if (isProviderError(error)) {
    // A replay miss already names the call (its label).
    if (error.code === 'REPLAY_MISS') return error;
    return new ProviderError(error.code as ConstructorParameters<typeof ProviderError>[0], mask(`${place}: ${error.message}`), {
      endpoint: error.endpoint,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.hint === undefined ? {} : { hint: mask(error.hint) }),
      cause: error,
    });
  }
  if (isSopError(error)) return error;
  return new SopError('PROVIDER_FAILED', mask(`${place}: model ${resolved.key} (${resolved.model.provider}) failed: ${(error as Error)?.message ?? String(error)}`), {
    hint: 'check the provider settings and that the model is reachable',
    cause: error,
  });
}
