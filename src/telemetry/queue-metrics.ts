import type { Attributes, Meter } from '@opentelemetry/api';

/** What a worker (`sop worker`) reports of its jobs: started, ended with an outcome, how long each took. */
export interface QueueMetrics {
  jobStarted(resumed: boolean): void;
  /** `outcome`: completed (the run ended, whatever its status), failed (refused or could not run), handed_back (SIGTERM). */
  jobEnded(outcome: 'completed' | 'failed' | 'handed_back', durationMs: number | undefined, detail?: { status?: string; errorType?: string }): void;
}

/**
 * A worker's metrics: `sop.queue.jobs.started`, `sop.queue.jobs.ended` (by outcome), the OTel
 * messaging conventions' `messaging.process.duration`, and `sop.queue.depth` (jobs by state, read
 * from Redis at each collection). Attributes name the queue as the conventions do
 * (`messaging.system`, `messaging.destination.name`).
 */
export function queueMetrics(meter: Meter, queue: string, depth: () => Promise<Record<string, number>>): QueueMetrics {
  const base: Attributes = { 'messaging.system': 'bullmq', 'messaging.destination.name': queue };
  const started = meter.createCounter('sop.queue.jobs.started', { unit: '{job}', description: 'Queued runs this worker started (or took over: sop.queue.job.resumed)' });
  const ended = meter.createCounter('sop.queue.jobs.ended', { unit: '{job}', description: 'Jobs this worker ended, by outcome (completed, failed, handed_back)' });
  const duration = meter.createHistogram('messaging.process.duration', {
    unit: 's',
    description: 'Duration of processing a queued run (OTel messaging semantic conventions)',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900] },
  });
  const gauge = meter.createObservableGauge('sop.queue.depth', { unit: '{job}', description: 'Jobs in the queue, by state (waiting, active, interrupted, completed, failed; delayed: deprecated, the same jobs as interrupted)' });
  gauge.addCallback(async (result) => {
    // Redis away: no observation this time rather than a failed collection.
    const counts = await depth().catch(() => undefined);
    for (const [state, count] of Object.entries(counts ?? {})) {
      result.observe(count, { ...base, 'sop.queue.job.state': state });
      // Deprecated: BullMQ's word, which this state had before; kept for dashboards that read it.
      if (state === 'interrupted') result.observe(count, { ...base, 'sop.queue.job.state': 'delayed' });
    }
  });
  return {
    jobStarted: (resumed) => started.add(1, { ...base, 'sop.queue.job.resumed': resumed }),
    jobEnded: (outcome, durationMs, detail = {}) => {
      const attributes: Attributes = {
        ...base,
        'messaging.operation.name': 'process',
        'sop.queue.job.outcome': outcome,
        ...(detail.status ? { 'sop.run.status': detail.status } : {}),
        ...(detail.errorType ? { 'error.type': detail.errorType } : {}),
      };
      ended.add(1, attributes);
      if (durationMs !== undefined) duration.record(durationMs / 1000, attributes);
    },
  };
}
