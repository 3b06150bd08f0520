import type { TokenUsage } from '../providers/chat-model.js';

/** Calls, tokens, cost and failures of one role, one action, or the whole run. */
export interface UsageCount {
  /** Model calls answered (live, from the cache or from a cassette). */
  calls: number;
  /** Of those, answered from the response cache or a replayed cassette (no cost). */
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** True when some of the tokens were counted by estimate, not reported by the provider. */
  estimated: boolean;
  /** USD of the calls whose cost is known. */
  costUsd: number;
  /** True when a live call's cost is unknown (a model without a price): `costUsd` is then a lower bound. */
  costUnknown: boolean;
  /** Transient provider failures retried (rate limits, 5xx, timeouts): they cost nothing. */
  retries: number;
  /** Outputs asked again because they broke the output contract (invalid JSON, missing fields). */
  reasks: number;
}

export interface BudgetLimits {
  /** Total tokens (prompt + completion) the run may spend. */
  maxTokens: number | undefined;
  /** USD the run may spend. */
  investment: number | undefined;
}

/** One answered call, as the tracker counts it. */
export interface CallUsage {
  /** `provider:model` that answered (`offline` for the built-in model). */
  modelKey: string;
  usage: TokenUsage;
  /** USD of this call; undefined when unknown. */
  costUsd: number | undefined;
  /** Answered from the cache or a cassette: free, and not counted against `max_tokens`. */
  cached: boolean;
}

/**
 * Counts model usage per role, per action and per model, and says when the budget is spent.
 * Cost counts what the cost layer reports (`response.costUsd`); a live call without one marks the
 * count `costUnknown` instead of being taken as free.
 */
export class UsageTracker {
  readonly total: UsageCount = emptyCount();
  readonly byRole = new Map<string, UsageCount>();
  readonly byAction = new Map<string, UsageCount>();
  /** Calls per model key. */
  readonly byModel = new Map<string, number>();
  /** Tokens of live calls (cached answers do not use up `max_tokens`). */
  private liveTokens = 0;
  /** USD set aside for calls in flight (their estimate), so concurrent calls cannot overspend together. */
  private reservedUsd = 0;

  constructor(readonly limits: BudgetLimits) {}

  /** Roles, actions and models counted since the last `takeChanges` (a round's record holds only those). */
  private readonly changed = { roles: new Set<string>(), actions: new Set<string>(), models: new Set<string>(), any: false };

  /** Everything counted so far, as plain data (a checkpoint's `usage`). */
  snapshot(): UsageSnapshot {
    return {
      total: { ...this.total },
      byRole: Object.fromEntries([...this.byRole].map(([key, count]) => [key, { ...count }])),
      byAction: Object.fromEntries([...this.byAction].map(([key, count]) => [key, { ...count }])),
      byModel: Object.fromEntries(this.byModel),
      liveTokens: this.liveTokens,
    };
  }

  /** Continues from a snapshot (a resumed run): what was spent before stays spent. */
  restore(snapshot: UsageSnapshot): void {
    Object.assign(this.total, snapshot.total);
    for (const [key, count] of Object.entries(snapshot.byRole)) this.byRole.set(key, { ...count });
    for (const [key, count] of Object.entries(snapshot.byAction)) this.byAction.set(key, { ...count });
    for (const [key, calls] of Object.entries(snapshot.byModel)) this.byModel.set(key, calls);
    this.liveTokens = snapshot.liveTokens;
  }

  /** What changed since the last call, as plain data; undefined when nothing did. */
  takeChanges(): UsageChanges | undefined {
    const { changed } = this;
    if (!changed.any) return undefined;
    const pick = <T>(map: Map<string, T>, keys: Set<string>, copy: (value: T) => T): Record<string, T> =>
      Object.fromEntries([...keys].map((key) => [key, copy(map.get(key) as T)]));
    const changes: UsageChanges = {
      total: { ...this.total },
      byRole: pick(this.byRole, changed.roles, (count) => ({ ...count })),
      byAction: pick(this.byAction, changed.actions, (count) => ({ ...count })),
      byModel: pick(this.byModel, changed.models, (calls) => calls),
      liveTokens: this.liveTokens,
    };
    changed.roles.clear();
    changed.actions.clear();
    changed.models.clear();
    changed.any = false;
    return changes;
  }

  record(role: string, action: string | undefined, call: CallUsage): void {
    this.changed.models.add(call.modelKey);
    this.byModel.set(call.modelKey, (this.byModel.get(call.modelKey) ?? 0) + 1);
    if (!call.cached) this.liveTokens += call.usage.promptTokens + call.usage.completionTokens;
    for (const count of this.counts(role, action)) {
      count.calls += 1;
      if (call.cached) count.cachedCalls += 1;
      count.promptTokens += call.usage.promptTokens;
      count.completionTokens += call.usage.completionTokens;
      if (call.usage.estimated) count.estimated = true;
      if (call.costUsd === undefined) count.costUnknown = true;
      else count.costUsd += call.costUsd;
    }
  }

  /** A transient provider failure that was retried. */
  countRetry(role: string, action: string | undefined): void {
    for (const count of this.counts(role, action)) count.retries += 1;
  }

  /** An output asked again for breaking its contract. */
  countReask(role: string, action: string | undefined): void {
    for (const count of this.counts(role, action)) count.reasks += 1;
  }

  /** USD spent so far plus what calls in flight may cost. */
  committedUsd(): number {
    return this.total.costUsd + this.reservedUsd;
  }

  /** Sets aside a call's estimated cost until it ends; returns the release function. */
  reserve(usd: number): () => void {
    this.reservedUsd += usd;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reservedUsd -= usd;
    };
  }

  /** True once a declared limit is reached. */
  exhausted(): boolean {
    const { maxTokens, investment } = this.limits;
    if (maxTokens !== undefined && this.liveTokens >= maxTokens) return true;
    return investment !== undefined && this.total.costUsd >= investment;
  }

  private counts(role: string, action: string | undefined): UsageCount[] {
    this.changed.any = true;
    this.changed.roles.add(role);
    const counts = [this.total, countFor(this.byRole, role)];
    if (action !== undefined) {
      this.changed.actions.add(action);
      counts.push(countFor(this.byAction, action));
    }
    return counts;
  }
}

/** The counts a round changed: the totals, and the roles, actions and models it touched. */
export type UsageChanges = UsageSnapshot;

/** The tracker's counts as plain data (checkpoints). */
export interface UsageSnapshot {
  total: UsageCount;
  byRole: Record<string, UsageCount>;
  byAction: Record<string, UsageCount>;
  byModel: Record<string, number>;
  liveTokens: number;
}

export function emptyCount(): UsageCount {
  return { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, estimated: false, costUsd: 0, costUnknown: false, retries: 0, reasks: 0 };
}

function countFor(map: Map<string, UsageCount>, key: string): UsageCount {
  let count = map.get(key);
  if (!count) {
    count = emptyCount();
    map.set(key, count);
  }
  return count;
}
