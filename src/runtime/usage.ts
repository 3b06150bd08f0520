import type { TokenUsage } from '../providers/chat-model.js';

/** Calls and tokens of one role or action. */
export interface UsageCount {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface BudgetLimits {
  /** Total tokens (prompt + completion) the run may spend. */
  maxTokens: number | undefined;
  /** USD the run may spend. */
  investment: number | undefined;
}

/**
 * Counts model usage per role and per action and says when the budget is spent. Cost counts only
 * what providers report (`usage.costUsd`); a provider that reports none costs nothing here.
 */
export class UsageTracker {
  readonly total: UsageCount = emptyCount();
  readonly byRole = new Map<string, UsageCount>();
  readonly byAction = new Map<string, UsageCount>();

  constructor(readonly limits: BudgetLimits) {}

  record(role: string, action: string | undefined, usage: TokenUsage): void {
    const cost = reportedCost(usage);
    const counts = [this.total, countFor(this.byRole, role)];
    if (action !== undefined) counts.push(countFor(this.byAction, action));
    for (const count of counts) {
      count.calls += 1;
      count.promptTokens += usage.promptTokens;
      count.completionTokens += usage.completionTokens;
      count.costUsd += cost;
    }
  }

  /** True once a declared limit is reached. */
  exhausted(): boolean {
    const { maxTokens, investment } = this.limits;
    if (maxTokens !== undefined && this.total.promptTokens + this.total.completionTokens >= maxTokens) return true;
    return investment !== undefined && this.total.costUsd >= investment;
  }
}

function emptyCount(): UsageCount {
  return { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

function countFor(map: Map<string, UsageCount>, key: string): UsageCount {
  let count = map.get(key);
  if (!count) {
    count = emptyCount();
    map.set(key, count);
  }
  return count;
}

function reportedCost(usage: TokenUsage): number {
  const cost = (usage as TokenUsage & { costUsd?: unknown }).costUsd;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : 0;
}
