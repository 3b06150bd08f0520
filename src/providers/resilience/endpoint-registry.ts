import type { SharedEndpointLimits } from './shared-limits.js';
import { Semaphore } from '../semaphore.js';
import { CircuitBreaker, type BreakerSettings } from './circuit-breaker.js';

/**
 * One circuit breaker and one concurrency limit per endpoint, shared by every model (and every
 * role) calling that endpoint through this registry. A `SopRuntime` holds one: runs given the same
 * runtime share them, runs given different runtimes share nothing. The latest settings for an
 * endpoint win.
 */
export class EndpointRegistry {
  /**
   * Limits shared with other processes (the queue's workers), checked before each call after the
   * local ones; set by whoever owns the runtime, before its runs start. None: this process only.
   */
  shared: SharedEndpointLimits | undefined;

  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly semaphores = new Map<string, Semaphore>();

  breakerFor(endpoint: string, settings: BreakerSettings): CircuitBreaker {
    const existing = this.breakers.get(endpoint);
    if (existing) {
      existing.settings = settings;
      return existing;
    }
    const breaker = new CircuitBreaker(endpoint, settings);
    this.breakers.set(endpoint, breaker);
    return breaker;
  }

  semaphoreFor(endpoint: string, limit: number): Semaphore {
    const existing = this.semaphores.get(endpoint);
    if (existing) {
      existing.limit = limit;
      return existing;
    }
    const semaphore = new Semaphore(limit);
    this.semaphores.set(endpoint, semaphore);
    return semaphore;
  }

  /** The breaker state of an endpoint (`closed` when it never failed), for `sop doctor` and tests. */
  breakerState(endpoint: string): 'closed' | 'open' | 'half-open' {
    return this.breakers.get(endpoint)?.currentState ?? 'closed';
  }
}
