import type { Attributes, Meter } from '@opentelemetry/api';
import type { RunEvent } from '../runtime/events.js';
import { genAiModel } from './gen-ai.js';

/**
 * Maps run events to metrics: the GenAI conventions' client metrics (`gen_ai.client.token.usage`,
 * `gen_ai.client.operation.duration`) and sop's own (cost, retries, gate checks, errors by code,
 * runs and action runs by outcome). The same instruments feed OTLP and a Prometheus endpoint.
 */
export class EventMetrics {
  private readonly tokens;
  private readonly duration;
  private readonly cost;
  private readonly retries;
  private readonly gates;
  private readonly errors;
  private readonly runs;
  private readonly actions;

  constructor(meter: Meter) {
    this.tokens = meter.createHistogram('gen_ai.client.token.usage', {
      unit: '{token}',
      description: 'Tokens used per model call, by type (input, output)',
      advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] },
    });
    this.duration = meter.createHistogram('gen_ai.client.operation.duration', {
      unit: 's',
      description: 'Duration of model calls',
      advice: { explicitBucketBoundaries: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] },
    });
    this.cost = meter.createCounter('sop.cost', { unit: 'USD', description: 'Cost of model calls (known prices only)' });
    this.retries = meter.createCounter('sop.llm.retries', { unit: '{retry}', description: 'Model calls tried again after a transient failure, by error code' });
    this.gates = meter.createCounter('sop.gate.checks', { unit: '{check}', description: 'Gate checks, by gate and result (sop.gate.passed): the pass rate' });
    this.errors = meter.createCounter('sop.errors', { unit: '{error}', description: 'Errors, by code (error.type)' });
    this.runs = meter.createCounter('sop.runs', { unit: '{run}', description: 'Runs ended, by status' });
    this.actions = meter.createCounter('sop.action.runs', { unit: '{run}', description: 'Action runs ended, by role, action and outcome' });
  }

  /** A listener for the events of one run (runs at once each have their own). */
  listener(): (event: RunEvent) => void {
    let sop: string | undefined;
    return (event) => {
      if (event.type === 'run-start') sop = event.sop;
      this.record(event, sop);
    };
  }

  private record(event: RunEvent, sop: string | undefined): void {
    switch (event.type) {
      case 'llm-call-end': {
        // Calls answered from the run journal on resume were counted by the process that made them.
        if (event.resumed) return;
        const { provider, model } = genAiModel(event.model);
        const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, ...(event.responseModel ? { 'gen_ai.response.model': event.responseModel } : {}) };
        this.tokens.record(event.promptTokens, { ...attributes, 'gen_ai.token.type': 'input' });
        this.tokens.record(event.completionTokens, { ...attributes, 'gen_ai.token.type': 'output' });
        this.duration.record(event.durationMs / 1000, attributes);
        if (event.costUsd) this.cost.add(event.costUsd, { ...attributes, 'gen_ai.agent.name': event.role });
        return;
      }
      case 'llm-call-retry':
        this.retries.add(1, { 'error.type': event.code });
        return;
      case 'gate-passed':
      case 'gate-failed':
        this.gates.add(1, { 'sop.gate.name': event.gate, 'sop.gate.kind': event.kind, 'sop.gate.passed': event.type === 'gate-passed' });
        return;
      case 'action-end':
        this.actions.add(1, { 'gen_ai.agent.name': event.role, 'sop.action': event.action, 'sop.action.outcome': event.outcome });
        return;
      case 'run-end':
        this.runs.add(1, { 'sop.run.status': event.status, ...(sop ? { 'sop.sop.name': sop } : {}) });
        if (event.error) this.errors.add(1, { 'error.type': event.error.code });
        return;
      default:
        return;
    }
  }
}
