export { withResilience, type ResilienceEvent, type ResilienceOptions } from './with-resilience.js';
export { breakerState, resetResilienceState } from './endpoint-registry.js';
export { retryDelayMs, type BackoffSettings } from './backoff.js';
