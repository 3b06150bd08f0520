/**
 * Queued runs on BullMQ and Redis (docs/queue.md): `sop worker` runs them, `sop run --queue`
 * submits and follows them. A run's SOP travels as a content-addressed bundle, its journal and
 * workspace files live in Redis, so any worker can take over a run whose worker died.
 */
export { readRedisUrl, type RedisAddress } from './redis-url.js';
export { DEFAULT_QUEUE, QUEUE_NAME_PATTERN, queueArgs } from './keys.js';
export { readQueueKey, QUEUE_KEY_VARIABLE, requireQueueKey, secretInputNames, type QueueKey } from './sealed-inputs.js';
export { bundleOf, readBundle, materializeBundle, BUNDLE_MAX_BYTES, type SopBundle } from './bundle.js';
export { readRunJob, RUN_JOB_SCHEMA, JOB_MAX_BYTES, type RunJobData } from './job.js';
export { ARTIFACT_MAX_BYTES, type ResultFile } from './run-state.js';
export { startWorker, type QueuedRun, type RunJobResult, type CloseOptions, type RunningWorker, type WorkerEvent, type WorkerOptions } from './worker.js';
export { onWorker } from './storage-hint.js';
export { QueueClient, type QueuedRunSummary } from './client.js';
export { HELD_LIMITS, type HeldLimits } from './follow-connection.js';
export { RedisEndpointLimits, type SharedLimitSettings } from './shared-limits.js';
export { quietRedisAuthWarnings, redisAuthNote } from './connection.js';
