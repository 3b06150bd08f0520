import type { TokenUsage } from '../providers/chat-model.js';
import { dictionary, propertyName } from './superstep/dictionary.js';

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

/** One answered call with who made it: what the tracker counted, and what its `llm-call-end` event reports. */
export interface PlacedCall {
  role: string;
  action: string | undefined;
  call: CallUsage;
}

/**
 * Counts model usage per role, per action and per model, and says when the budget is spent.
 * Cost counts what the cost layer reports (`response.costUsd`); a live call without one marks the
 * count `costUnknown` instead of being taken as free.
 */
export class UsageTracker {
  /** Kept live, as are `liveTokens` and the USD reserved: what the budget checks read before every call. */
  readonly total: UsageCount = emptyCount();
  private readonly roleCounts = new Map<string, UsageCount>();
  private readonly actionCounts = new Map<string, UsageCount>();
  private readonly modelCalls = new Map<string, number>();
  /**
   * Answered calls not yet added to the per-role, per-action and per-model counts, in order. No
   * budget reads those counts, so a wide round's answers add them when they are next read (most
   * often at the round's boundary, written while the next round's calls are out), not one by one
   * on the way from each answer to its action.
   */
  private uncounted: PlacedCall[] = [];
  /** Tokens of live calls (cached answers do not use up `max_tokens`). */
  private liveTokens = 0;
  /** USD set aside for calls in flight (their estimate), so concurrent calls cannot overspend together. */
  private reservedUsd = 0;

  constructor(readonly limits: BudgetLimits) {}

  get byRole(): Map<string, UsageCount> {
    this.countPlaced();
    return this.roleCounts;
  }

  get byAction(): Map<string, UsageCount> {
    this.countPlaced();
    return this.actionCounts;
  }

  /** Calls per model key. */
  get byModel(): Map<string, number> {
    this.countPlaced();
    return this.modelCalls;
  }

  /** Roles, actions and models counted since the last `takeChanges` (a round's record holds only those). */
  private readonly changed = { roles: new Set<string>(), actions: new Set<string>(), models: new Set<string>(), any: false };
  /** Calls counted since the last `takeChanges`, in order; undefined once a retry or a re-ask was counted too. */
  private callsSinceTake: PlacedCall[] | undefined = [];
  /**
   * The calls the last `takeChanges` accounts for, when they alone made its changes (no retry or
   * re-ask): the run journal then rebuilds those changes from the calls' events (see `ledger-events.ts`).
   */
  lastTakenCalls: readonly PlacedCall[] | undefined = [];

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
    this.takeUntaken();
    this.countPlaced();
    Object.assign(this.total, snapshot.total);
    for (const [key, count] of Object.entries(snapshot.byRole)) this.byRole.set(key, { ...count });
    for (const [key, count] of Object.entries(snapshot.byAction)) this.byAction.set(key, { ...count });
    for (const [key, calls] of Object.entries(snapshot.byModel)) this.byModel.set(key, calls);
    this.liveTokens = snapshot.liveTokens;
  }

  /** A boundary's changes not taken yet (see `changesAtBoundary`). */
  private untaken: { recorded: UsageSnapshot; changes: UsageChanges | undefined; taken: boolean } | undefined;

  /**
   * The changes of a round boundary, as `takeChanges(recorded)` gives them, taken when the returned
   * function is first called or, at the latest, right before the tracker counts anything more (so
   * they are the counts at the boundary all the same). A wide round's two thousand counts are then
   * compared when its boundary is written, while the next round's calls are out, not between its
   * last answer and those calls.
   */
  changesAtBoundary(recorded: UsageSnapshot): () => UsageChanges | undefined {
    this.takeUntaken();
    const boundary = { recorded, changes: undefined as UsageChanges | undefined, taken: false };
    this.untaken = boundary;
    return () => {
      if (!boundary.taken) this.takeUntaken();
      return boundary.changes;
    };
  }

  private takeUntaken(): void {
    const boundary = this.untaken;
    if (!boundary) return;
    this.untaken = undefined;
    boundary.changes = this.takeChanges(boundary.recorded);
    boundary.taken = true;
  }

  /**
   * What changed since the last call, as a merge patch (RFC 7396) from `recorded` (the counts at the
   * last round boundary): the touched roles, actions and models, each with only the fields that
   * differ (every field when `recorded` lacks it); undefined when nothing did. Typed field by field,
   * not walked generically: a round of a thousand calls touches two thousand counts.
   */
  takeChanges(recorded?: UsageSnapshot): UsageChanges | undefined {
    this.takeUntaken();
    this.countPlaced();
    const { changed } = this;
    this.lastTakenCalls = this.callsSinceTake;
    this.callsSinceTake = [];
    if (!changed.any) return undefined;
    const changes: UsageChanges = {};
    const total = countPatch(recorded?.total, this.total);
    if (total) changes.total = total;
    const byRole = countsPatch(recorded?.byRole, this.byRole, changed.roles);
    if (byRole) changes.byRole = byRole;
    const byAction = countsPatch(recorded?.byAction, this.byAction, changed.actions);
    if (byAction) changes.byAction = byAction;
    const byModel = dictionary<number>();
    let modelChanged = false;
    for (const key of changed.models) {
      const calls = this.byModel.get(key) as number;
      if (recorded && own(recorded.byModel, key) === calls) continue;
      byModel[key] = calls;
      modelChanged = true;
    }
    if (modelChanged) changes.byModel = byModel;
    if (this.liveTokens !== recorded?.liveTokens) changes.liveTokens = this.liveTokens;
    changed.roles.clear();
    changed.actions.clear();
    changed.models.clear();
    changed.any = false;
    return changes.total || byRole || byAction || modelChanged || changes.liveTokens !== undefined ? changes : undefined;
  }

  record(role: string, action: string | undefined, call: CallUsage): void {
    this.takeUntaken();
    const placed: PlacedCall = { role, action, call };
    this.callsSinceTake?.push(placed);
    this.uncounted.push(placed);
    if (!call.cached) this.liveTokens += call.usage.promptTokens + call.usage.completionTokens;
    addCall(this.total, call);
  }

  /** Adds the calls answered since the last time to the per-role, per-action and per-model counts (in answer order, as `record` once did). */
  private countPlaced(): void {
    const calls = this.uncounted;
    if (calls.length === 0) return;
    this.uncounted = [];
    const { changed } = this;
    changed.any = true;
    for (const placed of calls) {
      const { call } = placed;
      const model = propertyName(call.modelKey);
      changed.models.add(model);
      this.modelCalls.set(model, (this.modelCalls.get(model) ?? 0) + 1);
      const role = propertyName(placed.role);
      changed.roles.add(role);
      addCall(countFor(this.roleCounts, role), call);
      if (placed.action !== undefined) {
        const action = propertyName(placed.action);
        changed.actions.add(action);
        addCall(countFor(this.actionCounts, action), call);
      }
    }
  }

  /**
   * A reply cut off mid-stream: its tokens and cost count (and use up the budget) like an answer's,
   * but it is no call answered.
   */
  recordCut(role: string, action: string | undefined, usage: TokenUsage, costUsd: number | undefined): void {
    this.takeUntaken();
    // Not an `llm-call-end`: the round's usage changes are written out, not rebuilt from its events.
    this.callsSinceTake = undefined;
    this.liveTokens += usage.promptTokens + usage.completionTokens;
    for (const count of this.counts(role, action)) addTokens(count, usage, costUsd);
  }

  /** A transient provider failure that was retried. */
  countRetry(role: string, action: string | undefined): void {
    this.takeUntaken();
    this.callsSinceTake = undefined;
    for (const count of this.counts(role, action)) count.retries += 1;
  }

  /** An output asked again for breaking its contract. */
  countReask(role: string, action: string | undefined): void {
    this.takeUntaken();
    this.callsSinceTake = undefined;
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

  /** The live tokens and the `max_tokens` limit, once that limit is reached (the budget that stopped a run may be tokens, not USD). */
  tokenLimitReached(): { used: number; limit: number } | undefined {
    const { maxTokens } = this.limits;
    return maxTokens !== undefined && this.liveTokens >= maxTokens ? { used: this.liveTokens, limit: maxTokens } : undefined;
  }

  /** True once a declared limit is reached. */
  exhausted(): boolean {
    const { investment } = this.limits;
    if (this.tokenLimitReached()) return true;
    return investment !== undefined && this.total.costUsd >= investment;
  }

  private counts(role: string, action: string | undefined): UsageCount[] {
    // The answers before first: each count adds its figures in the order they came, as before.
    this.countPlaced();
    role = propertyName(role);
    action = action === undefined ? undefined : propertyName(action);
    this.changed.any = true;
    this.changed.roles.add(role);
    const counts = [this.total, countFor(this.roleCounts, role)];
    if (action !== undefined) {
      this.changed.actions.add(action);
      counts.push(countFor(this.actionCounts, action));
    }
    return counts;
  }
}

/** What a round changed in the counts, as a merge patch: only the counts and fields that differ. */
export interface UsageChanges {
  total?: Partial<UsageCount>;
  byRole?: Record<string, Partial<UsageCount>>;
  byAction?: Record<string, Partial<UsageCount>>;
  byModel?: Record<string, number>;
  liveTokens?: number;
}

/** The tracker's counts as plain data (checkpoints). */
export interface UsageSnapshot {
  total: UsageCount;
  byRole: Record<string, UsageCount>;
  byAction: Record<string, UsageCount>;
  byModel: Record<string, number>;
  liveTokens: number;
}

/** Keys a merge patch read from a file must not set (they would reach the prototype). */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The fields of `after` that differ from `before` (all of them without `before`), in the order a
 * count is written; undefined when none do. Field by field by name: a loop over the names made
 * every read a keyed lookup, the larger part of a round's bookkeeping.
 */
function countPatch(before: UsageCount | undefined, after: UsageCount): Partial<UsageCount> | undefined {
  if (before !== undefined && sameCount(before, after)) return undefined;
  const patch: Partial<UsageCount> = {};
  if (before?.calls !== after.calls) patch.calls = after.calls;
  if (before?.cachedCalls !== after.cachedCalls) patch.cachedCalls = after.cachedCalls;
  if (before?.promptTokens !== after.promptTokens) patch.promptTokens = after.promptTokens;
  if (before?.completionTokens !== after.completionTokens) patch.completionTokens = after.completionTokens;
  if (before?.estimated !== after.estimated) patch.estimated = after.estimated;
  if (before?.costUsd !== after.costUsd) patch.costUsd = after.costUsd;
  if (before?.costUnknown !== after.costUnknown) patch.costUnknown = after.costUnknown;
  if (before?.retries !== after.retries) patch.retries = after.retries;
  if (before?.reasks !== after.reasks) patch.reasks = after.reasks;
  return patch;
}

/** Every field equal (then there is no patch: asked first, so that no empty patch is made and counted). */
function sameCount(a: UsageCount, b: UsageCount): boolean {
  return (
    a.calls === b.calls &&
    a.cachedCalls === b.cachedCalls &&
    a.promptTokens === b.promptTokens &&
    a.completionTokens === b.completionTokens &&
    a.estimated === b.estimated &&
    a.costUsd === b.costUsd &&
    a.costUnknown === b.costUnknown &&
    a.retries === b.retries &&
    a.reasks === b.reasks
  );
}

function countsPatch(recorded: Record<string, UsageCount> | undefined, counts: Map<string, UsageCount>, keys: Set<string>): Record<string, Partial<UsageCount>> | undefined {
  let patch: Record<string, Partial<UsageCount>> | undefined;
  for (const key of keys) {
    const entry = countPatch(recorded && own(recorded, key), counts.get(key) as UsageCount);
    if (entry) (patch ??= dictionary())[key] = entry;
  }
  return patch;
}

/** Applies a round's usage patch (see `takeChanges`) in place, sharing nothing with it. */
export function applyUsageChanges(usage: UsageSnapshot, changes: UsageChanges): void {
  if (changes.total) Object.assign(usage.total, changes.total);
  if (changes.byRole) assignCounts(usage.byRole, changes.byRole);
  if (changes.byAction) assignCounts(usage.byAction, changes.byAction);
  if (changes.byModel) for (const key of Object.keys(changes.byModel)) if (!UNSAFE_KEYS.has(key)) usage.byModel[key] = changes.byModel[key] as number;
  if (changes.liveTokens !== undefined) usage.liveTokens = changes.liveTokens;
}

/** Each count's changed fields onto the count (a new one for a new key); a key that would reach the prototype is skipped. */
function assignCounts(counts: Record<string, UsageCount>, patch: Record<string, Partial<UsageCount>>): void {
  for (const key of Object.keys(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    let count = own(counts, key);
    if (count === undefined) {
      count = emptyCount();
      counts[key] = count;
    }
    assignCount(count, patch[key] as Partial<UsageCount>);
  }
}

/**
 * A count's changed fields onto it, field by field (`Object.assign` walked each patch generically,
 * the larger part of a 1000-way round's commit). The same fields `countPatch` writes.
 */
function assignCount(count: UsageCount, patch: Partial<UsageCount>): void {
  if (patch.calls !== undefined) count.calls = patch.calls;
  if (patch.cachedCalls !== undefined) count.cachedCalls = patch.cachedCalls;
  if (patch.promptTokens !== undefined) count.promptTokens = patch.promptTokens;
  if (patch.completionTokens !== undefined) count.completionTokens = patch.completionTokens;
  if (patch.estimated !== undefined) count.estimated = patch.estimated;
  if (patch.costUsd !== undefined) count.costUsd = patch.costUsd;
  if (patch.costUnknown !== undefined) count.costUnknown = patch.costUnknown;
  if (patch.retries !== undefined) count.retries = patch.retries;
  if (patch.reasks !== undefined) count.reasks = patch.reasks;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
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

/** Adds one answered call to a count (run per call, three counts each: no arrays made). */
function addCall(count: UsageCount, call: CallUsage): void {
  count.calls += 1;
  if (call.cached) count.cachedCalls += 1;
  addTokens(count, call.usage, call.costUsd);
}

function addTokens(count: UsageCount, usage: TokenUsage, costUsd: number | undefined): void {
  count.promptTokens += usage.promptTokens;
  count.completionTokens += usage.completionTokens;
  if (usage.estimated) count.estimated = true;
  if (costUsd === undefined) count.costUnknown = true;
  else count.costUsd += costUsd;
}
