import { createHash } from 'node:crypto';

/**
 * A run's trace id and the span id of its first root span, derived from the run id: `sop resume`
 * (another process, maybe days later) continues the same trace and links to the first root span
 * without the run record having to keep them (docs/design.md, "Telemetry").
 */
export function runTraceIds(runId: string): { traceId: string; rootSpanId: string } {
  const hex = createHash('sha256').update(`sop-run:${runId}`).digest('hex');
  return { traceId: hex.slice(0, 32), rootSpanId: hex.slice(32, 48) };
}
