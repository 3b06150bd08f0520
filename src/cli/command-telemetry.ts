import type { Telemetry } from '../telemetry/index.js';

/** The flags of telemetry a command takes (README: Traces, metrics and logs). */
export interface TelemetryFlags {
  'metrics-port'?: number | undefined;
  'metrics-host'?: string | undefined;
}

/**
 * Starts the telemetry the OTEL_* variables and `--metrics-port` ask for, for `sop run`, `sop
 * resume` and `sop eval` alike; undefined, with nothing of OpenTelemetry loaded, when none.
 */
export async function startCommandTelemetry(
  flags: TelemetryFlags,
  io: { warning(text: string): void; note(text: string): void; redact(text: string): string },
): Promise<{ telemetry: Telemetry | undefined; capturePrompts: boolean }> {
  const { startTelemetry, telemetrySettings } = await import('../telemetry/index.js');
  const settings = telemetrySettings(process.env);
  for (const warning of settings?.warnings ?? []) io.warning(warning);
  const port = flags['metrics-port'];
  const telemetry = await startTelemetry({
    settings,
    prometheus: port === undefined ? undefined : { port, host: flags['metrics-host'] ?? '127.0.0.1' },
    warn: (text) => io.warning(io.redact(text)),
  });
  if (telemetry?.metricsUrl) io.note(`metrics: ${telemetry.metricsUrl}`);
  return { telemetry, capturePrompts: Boolean(settings?.traces && settings.captureContent) };
}
