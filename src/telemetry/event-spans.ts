import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Attributes, type Link, type Span, type Tracer } from '@opentelemetry/api';
import type { PromptMessage, RunEvent } from '../runtime/events.js';
import { genAiModel } from './gen-ai.js';
import { runTraceIds } from './run-trace-ids.js';

/** Ids of a span, as log lines carry them (`trace_id`, `span_id`). */
export interface SpanIds {
  traceId: string;
  spanId: string;
}

/** Starts the root span of a run with the trace (and span) id given, not random ones (`RunIdGenerator`). */
export type StartRootSpan = (ids: { traceId: string; spanId?: string }, start: () => Span) => Span;

/**
 * Maps the events of runs to spans, following the OpenTelemetry GenAI semantic conventions: a root
 * span per run process (`sop run {sop}`, or `sop resume {sop}` in the same trace, linked to the
 * first), `invoke_agent {role}` per action run, `chat {model}` per model call, `execute_tool {tool}`
 * per tool call, `command {program}` per command step; gate checks, retries and repaired outputs are
 * span events. Each event is read once, as it happens: the runtime knows nothing of OpenTelemetry.
 */
export class EventSpans {
  private root: Span | undefined;
  private runId = '';
  private readonly actions = new Map<string, Span>();
  private readonly calls = new Map<string, { span: Span; lastError?: string }>();
  private readonly tools = new Map<string, Span>();
  private readonly commands = new Map<string, Span>();
  /** The span the last event started, ended or was added to (log lines of that event name it). */
  private last: { event: RunEvent; span: Span | undefined } | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly startRoot: StartRootSpan,
    private readonly options: { captureContent: boolean; sop?: { name: string; version: string } },
  ) {}

  readonly onEvent = (event: RunEvent): void => {
    this.last = { event, span: this.handle(event) };
  };

  /** The trace and span an event belongs to (the root when none of its own), for log lines; undefined outside a run. */
  idsOf(event: RunEvent): SpanIds | undefined {
    const span = (this.last?.event === event ? this.last.span : undefined) ?? this.root;
    if (!span) return undefined;
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }

  private handle(event: RunEvent): Span | undefined {
    const at = Date.parse(event.time);
    switch (event.type) {
      case 'run-start':
        return this.openRoot(event.runId, `sop run ${event.sop}`, { 'sop.sop.name': event.sop, 'sop.sop.version': event.version, 'sop.model': event.model }, at);
      case 'run-resume': {
        const { traceId, rootSpanId } = runTraceIds(event.runId);
        const link: Link = { context: { traceId, spanId: rootSpanId, traceFlags: 1, isRemote: true } };
        const sop = this.options.sop;
        return this.openRoot(event.runId, `sop resume ${sop?.name ?? event.runId}`, {
          ...(sop ? { 'sop.sop.name': sop.name, 'sop.sop.version': sop.version } : {}),
          'sop.run.resumed': true,
          'sop.resume.round': event.round,
        }, at, [link]);
      }
      case 'action-start': {
        const span = this.child(this.root, `invoke_agent ${event.role}`, SpanKind.INTERNAL, at, {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': event.role,
          'gen_ai.agent.id': event.role,
          'sop.action': event.action,
          'sop.round': event.round,
          ...(event.index === undefined ? {} : { 'sop.foreach.index': event.index }),
          ...(event.message ? { 'sop.trigger.message': event.message } : {}),
        });
        this.actions.set(actionKey(event), span);
        return span;
      }
      case 'action-end': {
        const key = actionKey(event);
        const span = this.actions.get(key);
        if (!span) return undefined;
        this.actions.delete(key);
        for (const [callKey, call] of this.calls) {
          if (callKey.startsWith(`${key}|`)) {
            failSpan(call.span, call.lastError ?? event.outcome, at);
            this.calls.delete(callKey);
          }
        }
        span.setAttribute('sop.action.outcome', event.outcome);
        if (event.outcome === 'failed' || event.outcome === 'budget-exhausted') span.setAttribute('error.type', event.outcome);
        if (event.outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
        span.end(at);
        return span;
      }
      case 'llm-call-start': {
        const { provider, model } = genAiModel(event.model);
        const span = this.child(this.parentOf(event), `chat ${model}`, SpanKind.CLIENT, at, {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          'sop.call.purpose': event.purpose,
          'sop.call.attempt': event.attempt,
          ...(this.options.captureContent && event.messages ? { 'gen_ai.input.messages': JSON.stringify(event.messages.map(semconvMessage)) } : {}),
        });
        this.calls.set(callKey(event), { span });
        return span;
      }
      case 'llm-call-retry': {
        const call = this.calls.get(callKey(event));
        if (!call) return undefined;
        call.lastError = event.code;
        call.span.addEvent('sop.llm.retry', { 'sop.retry.attempt': event.attempt, 'error.type': event.code, 'sop.retry.delay_ms': event.delayMs, ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }) }, at);
        return call.span;
      }
      case 'llm-call-cut': {
        const call = this.calls.get(callKey(event));
        if (!call) return undefined;
        call.span.addEvent('sop.llm.cut', { 'sop.retry.attempt': event.attempt, 'error.type': event.code, 'gen_ai.usage.input_tokens': event.promptTokens, 'gen_ai.usage.output_tokens': event.completionTokens, ...(event.costUsd === undefined ? {} : { 'sop.cost_usd': event.costUsd }) }, at);
        return call.span;
      }
      case 'llm-call-end': {
        const key = callKey(event);
        const { provider, model } = genAiModel(event.model);
        // A call answered from the run journal on resume has no start event in this process.
        const span = this.calls.get(key)?.span ?? this.child(this.parentOf(event), `chat ${model}`, SpanKind.CLIENT, at - event.durationMs, {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          'sop.call.purpose': event.purpose,
        });
        this.calls.delete(key);
        span.setAttributes({
          'gen_ai.usage.input_tokens': event.promptTokens,
          'gen_ai.usage.output_tokens': event.completionTokens,
          // One reason: sop asks for one choice. The event leaves out `stop`, the usual end.
          'gen_ai.response.finish_reasons': [event.finishReason ?? 'stop'],
          ...(event.responseModel ? { 'gen_ai.response.model': event.responseModel } : {}),
          ...(event.costUsd === undefined ? {} : { 'sop.cost_usd': event.costUsd }),
          ...(event.estimated ? { 'sop.usage.estimated': true } : {}),
          ...(event.cached ? { 'sop.call.cached': event.cached } : {}),
          ...(event.resumed ? { 'sop.call.resumed': true } : {}),
        });
        span.end(at);
        return span;
      }
      case 'tool-call-start': {
        const span = this.child(this.actions.get(actionKey(event)) ?? this.root, `execute_tool ${event.tool}`, SpanKind.INTERNAL, at, {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': event.tool,
          'gen_ai.tool.call.id': event.call,
          'gen_ai.tool.type': 'function',
          ...(this.options.captureContent ? { 'gen_ai.tool.call.arguments': event.arguments } : {}),
        });
        this.tools.set(event.call, span);
        return span;
      }
      case 'tool-call-end': {
        const span = this.tools.get(event.call);
        if (!span) return undefined;
        this.tools.delete(event.call);
        span.setAttribute('sop.tool.result_bytes', event.resultBytes);
        if (!event.ok) failSpan(span, 'tool_error', at, this.options.captureContent ? event.error : undefined);
        else span.end(at);
        return span;
      }
      case 'command-start': {
        const span = this.child(this.actions.get(actionKey(event)) ?? this.root, `command ${event.argv[0] ?? ''}`.trim(), SpanKind.INTERNAL, at, {
          'process.command': event.argv[0] ?? '',
          ...(event.gate ? { 'sop.gate.name': event.gate } : {}),
        });
        this.commands.set(`${actionKey(event)}|${event.gate ?? ''}`, span);
        return span;
      }
      case 'command-end': {
        const key = `${actionKey(event)}|${event.gate ?? ''}`;
        const span = this.commands.get(key);
        if (!span) return undefined;
        this.commands.delete(key);
        span.setAttributes({ 'process.exit.code': event.exitCode, 'sop.command.passed': event.passed, 'sop.command.timed_out': event.timedOut });
        if (!event.passed) span.setAttribute('error.type', event.timedOut ? 'timeout' : 'exit_code');
        span.end(at);
        return span;
      }
      case 'gate-passed':
      case 'gate-failed': {
        const failed = event.type === 'gate-failed';
        const span = this.actions.get(actionKey(event));
        span?.addEvent(`sop.gate ${event.gate}`, {
          'sop.gate.name': event.gate,
          'sop.gate.kind': event.kind,
          'sop.gate.passed': !failed,
          ...(event.score === undefined ? {} : { 'sop.gate.score': event.score }),
          ...(failed ? { 'sop.gate.on_fail': event.onFail, 'sop.gate.attempt': event.attempt } : {}),
          ...(failed && this.options.captureContent ? { 'sop.gate.feedback': event.feedback } : {}),
        }, at);
        return span;
      }
      case 'output-invalid':
      case 'output-repaired': {
        const span = this.actions.get(actionKey(event));
        span?.addEvent(`sop.${event.type}`, {
          'sop.output.attempt': event.attempt,
          ...(event.type === 'output-invalid' ? { 'sop.output.errors': event.errors } : { 'sop.output.repairs': event.repairs }),
        }, at);
        return span;
      }
      case 'approval-decided': {
        const span = this.actions.get(actionKey(event));
        span?.addEvent('sop.approval', { 'sop.gate.name': event.gate, 'sop.approval.decision': event.decision, 'sop.approval.by': event.by }, at);
        return span;
      }
      case 'message-published':
        if (this.options.captureContent) {
          this.root?.addEvent('sop.message', { 'sop.message.id': event.message.id, 'sop.message.type': event.message.type, 'sop.message.from': event.message.from, 'sop.message.content': event.message.content }, at);
        }
        return undefined;
      case 'run-end':
        return this.closeRoot(event, at);
      default:
        return this.actionSpanOf(event);
    }
  }

  private openRoot(runId: string, name: string, attributes: Attributes, at: number, links?: Link[]): Span {
    this.runId = runId;
    const { traceId, rootSpanId } = runTraceIds(runId);
    const all = { 'sop.run.id': runId, 'gen_ai.conversation.id': runId, ...attributes };
    // The first root span has the id derived from the run; a resume's gets a random one, linked to it.
    const ids = links ? { traceId } : { traceId, spanId: rootSpanId };
    this.root = this.startRoot(ids, () => this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at, attributes: all, root: true, ...(links ? { links } : {}) }, ROOT_CONTEXT));
    return this.root;
  }

  private closeRoot(event: Extract<RunEvent, { type: 'run-end' }>, at: number): Span | undefined {
    const root = this.root;
    if (!root) return undefined;
    // Whatever is still open ends with the run (a provider that failed, an interrupted call).
    const why = event.error?.code ?? event.status;
    for (const call of this.calls.values()) failSpan(call.span, call.lastError ?? why, at);
    for (const span of [...this.tools.values(), ...this.commands.values(), ...this.actions.values()]) failSpan(span, why, at);
    this.calls.clear();
    this.tools.clear();
    this.commands.clear();
    this.actions.clear();
    root.setAttributes({
      'sop.run.status': event.status,
      'sop.run.exit_code': event.exitCode,
      'sop.run.rounds': event.rounds,
      ...(event.costUsd === undefined ? {} : { 'sop.cost_usd': event.costUsd }),
    });
    if (event.error) {
      root.setAttribute('error.type', event.error.code);
      root.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
    } else if (event.exitCode !== 0) {
      root.setAttribute('error.type', event.status);
    }
    root.end(at);
    this.root = undefined;
    return root;
  }

  /** The open action span of an event that names an action (artifact written, approval requested). */
  private actionSpanOf(event: RunEvent): Span | undefined {
    if (!('action' in event) || typeof event.action !== 'string' || !('role' in event)) return undefined;
    return this.actions.get(actionKey(event as { round: number; role: string; action: string; index?: number }));
  }

  private parentOf(event: { round: number; role: string; action?: string; index?: number }): Span | undefined {
    return event.action === undefined ? this.root : (this.actions.get(actionKey(event as { round: number; role: string; action: string; index?: number })) ?? this.root);
  }

  private child(parent: Span | undefined, name: string, kind: SpanKind, at: number, attributes: Attributes): Span {
    const context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { kind, startTime: at, attributes: { 'gen_ai.conversation.id': this.runId, ...attributes } }, context);
  }
}

function actionKey(event: { round: number; role: string; action: string; index?: number }): string {
  return `${event.round}|${event.role}|${event.action}|${event.index ?? ''}`;
}

/** Calls of one action run are made one after another; a react choice or plan belongs to its role. */
function callKey(event: { round: number; role: string; action?: string; index?: number }): string {
  return event.action === undefined ? `${event.round}|${event.role}||call` : `${actionKey(event as { round: number; role: string; action: string; index?: number })}|call`;
}

function failSpan(span: Span, errorType: string, at: number, message?: string): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
  span.end(at);
}

/** A prompt message in the conventions' shape (`gen_ai.input.messages`): a role and its parts. */
function semconvMessage(message: PromptMessage): Record<string, unknown> {
  const parts: Array<Record<string, unknown>> = [];
  if (message.content) parts.push(message.toolName ? { type: 'tool_call_response', response: message.content } : { type: 'text', content: message.content });
  for (const call of message.toolCalls ?? []) parts.push({ type: 'tool_call', name: call.name, arguments: call.arguments });
  return { role: message.role, parts };
}
