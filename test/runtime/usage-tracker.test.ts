import { describe, expect, it } from 'vitest';
import { UsageTracker, type CallUsage } from '../../src/runtime/usage.js';

// The per-role, per-action and per-model counts of answered calls are added when next read, not
// per answer (a wide round's answers are its critical path): whenever they are read they must be
// what counting each call at once gave, and the budget must stop at the very call that spends it.

const NO_LIMITS = { maxTokens: undefined, investment: undefined };
const costing = (costUsd: number | undefined, modelKey = 'openai:gpt'): CallUsage => ({ modelKey, usage: { promptTokens: 10, completionTokens: 5, estimated: false }, costUsd, cached: false });

describe('usage counts of answered calls', () => {
  it('are right whenever read, between answers and without a round boundary', () => {
    const tracker = new UsageTracker(NO_LIMITS);
    tracker.record('reviewer', 'review', costing(0.25));
    tracker.record('reviewer', 'review', costing(0.5, 'ollama:llama'));
    expect(tracker.byRole.get('reviewer')).toMatchObject({ calls: 2, promptTokens: 20, completionTokens: 10, costUsd: 0.75 });
    expect(tracker.byAction.get('review')).toMatchObject({ calls: 2, costUsd: 0.75 });
    expect(Object.fromEntries(tracker.byModel)).toEqual({ 'openai:gpt': 1, 'ollama:llama': 1 });

    tracker.record('lead', undefined, costing(undefined));
    const snapshot = tracker.snapshot();
    expect(snapshot.byRole['lead']).toMatchObject({ calls: 1, costUnknown: true });
    expect(snapshot.byRole['reviewer']?.calls).toBe(2);
    expect(snapshot.byAction).not.toHaveProperty('lead');
    expect(snapshot.byModel).toEqual({ 'openai:gpt': 2, 'ollama:llama': 1 });
    expect(snapshot.total).toMatchObject({ calls: 3, costUsd: 0.75, costUnknown: true });
  });

  it('add a cut reply, a retry and a re-ask in the order they came among the answers', () => {
    const tracker = new UsageTracker(NO_LIMITS);
    tracker.record('writer', 'draft', costing(0.1));
    tracker.record('writer', 'draft', costing(0.1));
    tracker.recordCut('writer', 'draft', { promptTokens: 1, completionTokens: 1, estimated: false }, 0.35);
    tracker.countRetry('writer', 'draft');
    tracker.countReask('writer', undefined);
    // Sums of USD depend on their order: (0.1 + 0.1) + 0.35 is 0.55, (0.35 + 0.1) + 0.1 is 0.5499999999999999.
    const writer = tracker.byRole.get('writer');
    expect(writer).toMatchObject({ calls: 2, promptTokens: 21, completionTokens: 11, retries: 1, reasks: 1 });
    expect(writer?.costUsd).toBe(0.55);
    expect(tracker.total.costUsd).toBe(0.55);
    expect(tracker.byAction.get('draft')).toMatchObject({ calls: 2, retries: 1, reasks: 0, costUsd: 0.55 });
  });

  it('give a round only the roles, actions and models it touched, counted up to its boundary', () => {
    const tracker = new UsageTracker(NO_LIMITS);
    tracker.record('writer', 'draft', costing(0.25));
    tracker.takeChanges();
    const boundary = tracker.snapshot();
    tracker.record('reviewer', 'review', costing(0.5, 'ollama:llama'));
    const changes = tracker.changesAtBoundary(tracker.snapshot());
    // A call of the next round, counted before the boundary's changes are taken: not in them.
    tracker.record('reviewer', 'review', costing(0.5, 'ollama:llama'));
    expect(changes()).toBeUndefined();
    expect(tracker.takeChanges(boundary)).toEqual({
      total: { calls: 3, promptTokens: 30, completionTokens: 15, costUsd: 1.25 },
      byRole: { reviewer: { calls: 2, cachedCalls: 0, promptTokens: 20, completionTokens: 10, estimated: false, costUsd: 1, costUnknown: false, retries: 0, reasks: 0 } },
      byAction: { review: { calls: 2, cachedCalls: 0, promptTokens: 20, completionTokens: 10, estimated: false, costUsd: 1, costUnknown: false, retries: 0, reasks: 0 } },
      byModel: { 'ollama:llama': 2 },
      liveTokens: 45,
    });
  });

  it('stop the budget at the answer that spends it, with no boundary in between', () => {
    const tracker = new UsageTracker({ maxTokens: undefined, investment: 0.7 });
    tracker.record('reviewer', 'review', costing(0.25));
    tracker.record('reviewer', 'review', costing(0.25));
    expect(tracker.exhausted()).toBe(false);
    expect(tracker.committedUsd()).toBe(0.5);
    tracker.record('reviewer', 'review', costing(0.25));
    expect(tracker.exhausted()).toBe(true);

    const tokens = new UsageTracker({ maxTokens: 30, investment: undefined });
    tokens.record('reviewer', 'review', costing(0));
    expect(tokens.tokenLimitReached()).toBeUndefined();
    tokens.record('reviewer', 'review', costing(0));
    expect(tokens.tokenLimitReached()).toEqual({ used: 30, limit: 30 });
  });
});
