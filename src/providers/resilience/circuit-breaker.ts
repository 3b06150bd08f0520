import { ProviderError } from '../provider-error.js';
import { plural } from '../../errors/index.js';

/** A state change the caller should report as an event. */
export type BreakerTransition = 'breaker-open' | 'breaker-half-open' | 'breaker-close';

export interface BreakerSettings {
  /** Consecutive retryable failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  resetAfterMs: number;
  now: () => number;
}

/**
 * A consecutive-failure circuit breaker for one endpoint. Not opossum: opossum opens on an error
 * *percentage* over a rolling time window (one success among N failures keeps it closed, errors
 * it is told to ignore count as successes) and half-opens on its own timers; the contract here is
 * "N consecutive retryable failures", checked lazily against an injectable clock.
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly endpoint: string,
    public settings: BreakerSettings,
  ) {}

  get currentState(): 'closed' | 'open' | 'half-open' {
    return this.state;
  }

  /**
   * Lets a call through or throws PROVIDER_UNAVAILABLE at once. Returns the transition that
   * happened (`breaker-half-open` when this call is the trial).
   */
  admit(): BreakerTransition | undefined {
    if (this.state === 'closed') return undefined;
    if (this.state === 'open') {
      const waitedMs = this.settings.now() - this.openedAt;
      if (waitedMs < this.settings.resetAfterMs) throw this.openError(this.settings.resetAfterMs - waitedMs);
      this.state = 'half-open';
      this.trialInFlight = true;
      return 'breaker-half-open';
    }
    if (this.trialInFlight) {
      // Another call is probing the endpoint; this one may retry after its backoff (not counted).
      throw new ProviderError('PROVIDER_UNAVAILABLE', `circuit half-open for ${this.endpoint}: a trial call is in progress`, {
        endpoint: this.endpoint,
        retryable: true,
      });
    }
    this.trialInFlight = true;
    return undefined;
  }

  recordSuccess(): BreakerTransition | undefined {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
    if (this.state === 'closed') return undefined;
    this.state = 'closed';
    return 'breaker-close';
  }

  /** Only retryable failures count: a bad key or bad request says nothing about the endpoint's health. */
  recordFailure(retryable: boolean): BreakerTransition | undefined {
    this.trialInFlight = false;
    if (!retryable) return undefined;
    this.consecutiveFailures += 1;
    const reopen = this.state === 'half-open';
    if (!reopen && (this.state === 'open' || this.consecutiveFailures < this.settings.failureThreshold)) return undefined;
    this.state = 'open';
    this.openedAt = this.settings.now();
    return 'breaker-open';
  }

  /** A call that ended without telling anything about the endpoint (the caller aborted). */
  release(): void {
    this.trialInFlight = false;
  }

  private openError(remainingMs: number): ProviderError {
    const failures = plural(this.consecutiveFailures, 'failure');
    const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
    return new ProviderError('PROVIDER_UNAVAILABLE', `circuit open for ${this.endpoint} after ${failures}; retrying after ${seconds}s`, {
      endpoint: this.endpoint,
      retryable: false,
      hint: 'the endpoint failed repeatedly; check that it is up, or wait and run again',
    });
  }
}
