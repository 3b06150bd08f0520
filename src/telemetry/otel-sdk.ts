import type { Span } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { listenError } from '../errors/index.js';
import type { RunEvent } from '../runtime/events.js';
import { RUNNER_VERSION } from '../version.js';
import { EventMetrics } from './event-metrics.js';
import { EventSpans, type SpanIds } from './event-spans.js';
import { queueMetrics } from './queue-metrics.js';
import type { TelemetryOptions, Telemetry } from './index.js';

/**
 * The OpenTelemetry SDK side of `startTelemetry` (src/telemetry/index.ts), loaded only when the
 * environment asks for telemetry or a command serves metrics: providers, OTLP/HTTP exporters that
 * read the standard `OTEL_*` variables themselves, and the Prometheus endpoint.
 */
export async function startOtel(options: TelemetryOptions): Promise<Telemetry> {
  const { settings } = options;
  const resource = sopResource();
  const warnOnce = onceWarner(options.warn);
  let tracing: { start: (sop?: { name: string; version: string }) => EventSpans; provider: BasicTracerProvider } | undefined;
  if (settings?.traces) {
    const ids = new RunIdGenerator();
    const provider = new BasicTracerProvider({
      resource,
      idGenerator: ids,
      spanProcessors: [new BatchSpanProcessor(reportFailures(new OTLPTraceExporter(), () => warnOnce('traces')))],
    });
    const tracer = provider.getTracer('sop', RUNNER_VERSION);
    const captureContent = settings.captureContent;
    tracing = { provider, start: (sop) => new EventSpans(tracer, (wanted, start) => ids.with(wanted, start), { captureContent, ...(sop ? { sop } : {}) }) };
  }
  const readers: IMetricReader[] = [];
  if (settings?.metrics) {
    readers.push(new PeriodicExportingMetricReader({ exporter: reportFailures(new OTLPMetricExporter(), () => warnOnce('metrics')), exportIntervalMillis: exportInterval() }));
  }
  const prometheus = options.prometheus ? await startPrometheus(options.prometheus) : undefined;
  if (prometheus) readers.push(prometheus.reader);
  const meterProvider = readers.length > 0 ? new MeterProvider({ resource, readers }) : undefined;
  const eventMetrics = meterProvider ? new EventMetrics(meterProvider.getMeter('sop', RUNNER_VERSION)) : undefined;
  return {
    run: (sop) => {
      const spans = tracing?.start(sop);
      const metrics = eventMetrics?.listener();
      return {
        onEvent: (event: RunEvent) => {
          spans?.onEvent(event);
          metrics?.(event);
        },
        idsOf: (event: RunEvent): SpanIds | undefined => spans?.idsOf(event),
      };
    },
    ...(prometheus ? { metricsUrl: prometheus.url } : {}),
    queue: (name, depth) => (meterProvider ? queueMetrics(meterProvider.getMeter('sop', RUNNER_VERSION), name, depth) : undefined),
    shutdown: async () => {
      // Each exporter sends what it holds; a collector that does not answer costs its timeout, never the run.
      await Promise.allSettled([tracing?.provider.shutdown(), meterProvider?.shutdown()]);
    },
  };
}

/** Serves metrics for Prometheus to scrape at `http://HOST:PORT/metrics`; a port in use is a usage error. */
async function startPrometheus(where: { port: number; host: string }): Promise<{ reader: PrometheusExporter; url: string }> {
  const reader = new PrometheusExporter({ port: where.port, host: where.host, preventServerStart: true });
  try {
    await reader.startServer();
  } catch (error) {
    throw listenError(error, { ...where, flag: '--metrics-port', hostFlag: '--metrics-host', who: 'another sop serving its metrics there', anyPort: false }, () => 'choose a --metrics-host of this machine (127.0.0.1, the default), or another --metrics-port');
  }
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return { reader, url: `http://${host}:${where.port}/metrics` };
}

/** `service.name` sop and its version, unless `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES` say otherwise. */
function sopResource(): Resource {
  return resourceFromAttributes({ 'service.name': 'sop', 'service.version': RUNNER_VERSION }).merge(detectResources({ detectors: [envDetector] }));
}

/** `OTEL_METRIC_EXPORT_INTERVAL` (ms) as the SDK's own default reads it; 60 s otherwise. Runs also flush at their end. */
function exportInterval(): number {
  const value = Number(process.env['OTEL_METRIC_EXPORT_INTERVAL']);
  return Number.isFinite(value) && value > 0 ? value : 60_000;
}

/** One warning per signal when its export fails: telemetry never fails a run. */
function onceWarner(warn: (text: string) => void): (signal: string) => void {
  const warned = new Set<string>();
  return (signal) => {
    if (warned.has(signal)) return;
    warned.add(signal);
    warn(`could not export ${signal} to the OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); the run goes on without them`);
  };
}

/** What an exporter's `export` reports (the SDK's ExportResult: code 0 succeeded, 1 failed). */
type Export = (items: unknown, done: (result: { code: number }) => void) => void;

/** Reports a failed export to `onFailure`, the result still going to the SDK. */
function reportFailures<E extends object>(exporter: E, onFailure: () => void): E {
  const target = exporter as unknown as { export: Export };
  const send = target.export.bind(exporter);
  target.export = (items, done) =>
    send(items, (result) => {
      if (result.code !== 0) onFailure();
      done(result);
    });
  return exporter;
}

/**
 * Random ids, except for the root span of a run, whose trace id (and first span id) come from the
 * run id (`runTraceIds`). Spans start synchronously: the ids asked for apply to one `start` only.
 */
class RunIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private wanted: { traceId: string; spanId?: string } | undefined;

  with(wanted: { traceId: string; spanId?: string }, start: () => Span): Span {
    this.wanted = wanted;
    try {
      return start();
    } finally {
      this.wanted = undefined;
    }
  }

  generateTraceId(): string {
    return this.wanted?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.wanted?.spanId ?? this.random.generateSpanId();
  }
}
