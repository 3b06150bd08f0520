import { SecretMask } from './redact.js';
import { EndpointRegistry } from './resilience/endpoint-registry.js';

/**
 * What runs share on purpose, instead of process-wide state: the circuit breaker and concurrency
 * limit of each endpoint, and the secrets to mask. A library user creates one with
 * `createRuntime()` and hands it to `loadModelRegistry` and `runSop`; runs given the same runtime
 * share its breakers, limits and mask, runs given different runtimes share nothing. Without one,
 * the registry and `runSop` each make a private one.
 *
 * Caches of immutable derived data (compiled JSON Schemas and templates keyed by content or by
 * object, compiled regular expressions, the CEL environment) stay module-level: whoever shares
 * them gets the same answer (`docs/design.md`).
 */
export interface SopRuntime {
  /** Breakers and concurrency limits per endpoint. */
  readonly endpoints: EndpointRegistry;
  /** Secret values masked in everything written and printed. */
  readonly secrets: SecretMask;
}

export function createRuntime(): SopRuntime {
  return { endpoints: new EndpointRegistry(), secrets: new SecretMask() };
}
