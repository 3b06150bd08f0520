/**
 * Faults the loopback provider servers can inject, one decision per request. Shared by the OpenAI,
 * Ollama and Anthropic fake servers so every protocol is tested against the same failures.
 */
export type Fault =
  /** Answer with this HTTP status (and `Retry-After` when given) instead of a completion. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** Streaming: send part of the stream, then destroy the socket. Non-streaming: half the body. */
  | { kind: 'truncate' }
  /** Wrap the JSON reply in a ```json fence with prose around it and a trailing comma. */
  | { kind: 'malformed-json' }
  /** Drop the schema's required fields from the JSON reply. */
  | { kind: 'missing-fields' }
  /** Omit token usage from the response. */
  | { kind: 'no-usage' };

/** Decides the fault (or none) for the n-th request (0-based) a server receives. */
export type FaultPlan = (requestIndex: number) => Fault | undefined;

export const noFaults: FaultPlan = () => undefined;

/** The same fault on every n-th request (n = 3: requests 2, 5, 8, ... 0-based). */
export function everyNth(n: number, fault: Fault): FaultPlan {
  return (index) => ((index + 1) % n === 0 ? fault : undefined);
}

/** Faults for the first requests, in order, then none. */
export function firstRequests(...faults: Fault[]): FaultPlan {
  return (index) => faults[index];
}

/** The same fault for every request. */
export function always(fault: Fault): FaultPlan {
  return () => fault;
}
