import type { RunEvent } from '../runtime/events.js';
import type { SpanIds } from './event-spans.js';
import type { QueueMetrics } from './queue-metrics.js';
import type { TelemetrySettings } from './settings.js';

export { telemetrySettings } from './settings.js';
export { JsonLog, logFormat } from './json-log.js';

/** What a command asks of telemetry. */
export interface TelemetryOptions {
  /** From `telemetrySettings(process.env)`; undefined exports nothing over OTLP. */
  settings: TelemetrySettings | undefined;
  /** `--metrics-port`: serve the metrics for Prometheus to scrape while the command lasts. */
  prometheus?: { port: number; host: string } | undefined;
  /** One line for the user (an export that failed); never fails the run. */
  warn: (text: string) => void;
}

/** The telemetry of one command: a listener per run it makes, and its flush. */
export interface Telemetry {
  /** Telemetry of one run (a long-lived command makes one per run; runs at once do not mix). */
  run(sop?: { name: string; version: string }): RunTelemetry;
  /** Where Prometheus scrapes, with `--metrics-port`. */
  metricsUrl?: string;
  /** A worker's job metrics (`sop worker`); undefined when no metrics are exported (traces only). */
  queue(name: string, depth: () => Promise<Record<string, number>>): QueueMetrics | undefined;
  /** Sends what is left and stops (on every way out of a run: completed, failed, interrupted). */
  shutdown(): Promise<void>;
}

/** The listener of one run's events. */
export interface RunTelemetry {
  onEvent(event: RunEvent): void;
  /** The trace and span an event belongs to, for log lines; undefined when tracing is off. */
  idsOf(event: RunEvent): SpanIds | undefined;
}

/**
 * Starts the telemetry a command asked for, or returns undefined without loading any OpenTelemetry
 * package when it asked for none (the cost of telemetry off is this check).
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry | undefined> {
  if (!options.settings && !options.prometheus) return undefined;
  const { startOtel } = await import('./otel-sdk.js');
  return startOtel(options);
}
