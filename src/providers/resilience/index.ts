export { withResilience, type ResilienceOptions } from './with-resilience.js';
export type { ResilienceEvent } from '../chat-model.js';
export { EndpointRegistry } from './endpoint-registry.js';
export type { SharedEndpointLimits } from './shared-limits.js';
