/**
 * Whether a process exports telemetry, read from the standard `OTEL_*` variables only: nothing of
 * OpenTelemetry is loaded to decide (README, "Traces, metrics and logs"). With no endpoint set, or
 * `OTEL_SDK_DISABLED=true`, the answer is undefined and no OTel package is ever imported.
 */
export interface TelemetrySettings {
  /** Spans over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT` or `..._TRACES_ENDPOINT`; `OTEL_TRACES_EXPORTER=none` turns them off). */
  traces: boolean;
  /** Metrics over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT` or `..._METRICS_ENDPOINT`; `OTEL_METRICS_EXPORTER=none` turns them off). */
  metrics: boolean;
  /** Prompts, answers and tool arguments on spans (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`); secrets masked. */
  captureContent: boolean;
  /** Why the settings differ from what the variables ask, said once as a warning (an OTLP protocol sop does not speak). */
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The telemetry the environment asks for, or undefined when it asks for none. */
export function telemetrySettings(env: Env): TelemetrySettings | undefined {
  if (isTrue(env['OTEL_SDK_DISABLED'])) return undefined;
  const endpoint = isSet(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  const traces = (endpoint || isSet(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])) && !isNone(env['OTEL_TRACES_EXPORTER']);
  const metrics = (endpoint || isSet(env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'])) && !isNone(env['OTEL_METRICS_EXPORTER']);
  if (!traces && !metrics) return undefined;
  const warnings: string[] = [];
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  if (protocol?.trim() === 'grpc') {
    warnings.push('OTEL_EXPORTER_OTLP_PROTOCOL=grpc: sop exports OTLP over HTTP (JSON); point OTEL_EXPORTER_OTLP_ENDPOINT at the collector\'s HTTP port (4318)');
  }
  return { traces, metrics, captureContent: isTrue(env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT']), warnings };
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/** `none` alone: exporters listed with commas are ours to send over OTLP as soon as one is not `none`. */
function isNone(value: string | undefined): boolean {
  return value !== undefined && value.split(',').every((name) => name.trim().toLowerCase() === 'none');
}
