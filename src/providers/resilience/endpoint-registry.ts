import { CircuitBreaker, type BreakerSettings } from './circuit-breaker.js';
import { Semaphore } from '../semaphore.js';

// One breaker and one concurrency limit per endpoint for the whole process, so every model (and
// every role) calling the same endpoint shares them. The latest settings for an endpoint win.
const breakers = new Map<string, CircuitBreaker>();
const semaphores = new Map<string, Semaphore>();

export function breakerFor(endpoint: string, settings: BreakerSettings): CircuitBreaker {
  const existing = breakers.get(endpoint);
  if (existing) {
    existing.settings = settings;
    return existing;
  }
  const breaker = new CircuitBreaker(endpoint, settings);
  breakers.set(endpoint, breaker);
  return breaker;
}

export function semaphoreFor(endpoint: string, limit: number): Semaphore {
  const existing = semaphores.get(endpoint);
  if (existing) {
    existing.limit = limit;
    return existing;
  }
  const semaphore = new Semaphore(limit);
  semaphores.set(endpoint, semaphore);
  return semaphore;
}

/** The breaker state of an endpoint (`closed` when it never failed), for `sop doctor` and tests. */
export function breakerState(endpoint: string): 'closed' | 'open' | 'half-open' {
  return breakers.get(endpoint)?.currentState ?? 'closed';
}

/** Forgets every breaker and limit (a new run in the same process, tests). */
export function resetResilienceState(): void {
  breakers.clear();
  semaphores.clear();
}
