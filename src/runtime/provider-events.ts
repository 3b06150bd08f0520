import { AsyncLocalStorage } from 'node:async_hooks';
import type { ResilienceEvent } from '../providers/resilience/index.js';

/** Receives the provider events (retries, breaker changes) of one model call. */
export type ProviderEventListener = (event: ResilienceEvent) => void;

/*
 * The model registry is built once per process with one `onEvent` for every provider, while the
 * runtime needs to know which call (role, action) a retry belongs to, with calls in flight
 * concurrently. The call runs inside an async context holding its listener; `routeProviderEvent`
 * (the registry's `onEvent`) finds it there. Created on first use: runs on the offline model never
 * switch async context tracking on.
 */
let calls: AsyncLocalStorage<ProviderEventListener> | undefined;

/** Runs a model call with `listener` receiving the provider events it causes. */
export function withProviderEvents<T>(listener: ProviderEventListener, call: () => Promise<T>): Promise<T> {
  calls ??= new AsyncLocalStorage<ProviderEventListener>();
  return calls.run(listener, call);
}

/**
 * Give this to the model registry as `onEvent` (`createModelRegistry(config, { onEvent:
 * routeProviderEvent })`): each retry and breaker change is recorded as a run event of the call
 * it happened in, and retries are counted per action. Events outside a run's call are ignored.
 */
export function routeProviderEvent(event: ResilienceEvent): void {
  calls?.getStore()?.(event);
}
