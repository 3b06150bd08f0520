import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResumePoint } from '../../src/index.js';
import { actionRunsFollowEvents, actionRunsFromEvents, usageFollowsEvents, usageFromEvents } from '../../src/runtime/ledger-events.js';
import { UsageTracker, type CallUsage } from '../../src/runtime/usage.js';
import { readLines } from '../../src/store/index.js';
import { runFixture } from './helpers/run-fixture.js';
import { scriptedModel, type ScriptedAnswer } from './helpers/scripted-model.js';

const NO_LIMITS = { maxTokens: undefined, investment: undefined };

/** The `llm-call-end` event `llm-call.ts` emits for a counted call (other fields left out). */
const endEvent = (seq: number, role: string, action: string | undefined, call: CallUsage) => ({
  seq,
  type: 'llm-call-end',
  round: 1,
  role,
  ...(action === undefined ? {} : { action }),
  model: call.modelKey,
  promptTokens: call.usage.promptTokens,
  completionTokens: call.usage.completionTokens,
  estimated: call.usage.estimated,
  ...(call.costUsd === undefined ? {} : { costUsd: call.costUsd }),
  ...(call.cached ? { cached: 'cache' } : {}),
});

const paid: CallUsage = { modelKey: 'openai:gpt', usage: { promptTokens: 120, completionTokens: 30, estimated: false }, costUsd: 0.0125, cached: false };
const fromCache: CallUsage = { modelKey: 'openai:gpt', usage: { promptTokens: 120, completionTokens: 30, estimated: false }, costUsd: 0, cached: true };
const unpriced: CallUsage = { modelKey: 'ollama:llama', usage: { promptTokens: 7, completionTokens: 3, estimated: true }, costUsd: undefined, cached: false };

describe('usage rebuilt from llm-call-end events (pure)', () => {
  it('gives the changes the tracker gave for the same calls, from the usage before the round', () => {
    const tracker = new UsageTracker(NO_LIMITS);
    tracker.record('writer', 'draft', paid);
    tracker.takeChanges();
    const before = tracker.snapshot();
    const calls: Array<[string, string | undefined, CallUsage]> = [
      ['writer', 'draft', paid],
      ['reviewer', undefined, fromCache],
      ['reviewer', 'review', unpriced],
    ];
    for (const [role, action, call] of calls) tracker.record(role, action, call);
    const recorded = tracker.takeChanges(before);
    const events = calls.map(([role, action, call], index) => endEvent(10 + index, role, action, call));

    expect(usageFollowsEvents(tracker.lastTakenCalls, events)).toBe(true);
    expect(usageFromEvents(before, events)).toEqual({ usage: recorded });
    expect(usageFromEvents(before, [{ seq: 3, type: 'round-end' }])).toEqual({ usage: undefined });
  });

  it('does not follow events that say something else than what was counted: a retry, a re-ask, another cost, a missing or extra end', () => {
    const counted = (count: (tracker: UsageTracker) => void) => {
      const tracker = new UsageTracker(NO_LIMITS);
      count(tracker);
      tracker.takeChanges();
      return tracker.lastTakenCalls;
    };
    const one = [endEvent(5, 'writer', 'draft', paid)];
    expect(usageFollowsEvents(counted((t) => t.record('writer', 'draft', paid)), one)).toBe(true);
    expect(usageFollowsEvents(counted((t) => (t.record('writer', 'draft', paid), t.countRetry('writer', 'draft'))), one)).toBe(false);
    expect(usageFollowsEvents(counted((t) => (t.countReask('writer', 'draft'), t.record('writer', 'draft', paid))), one)).toBe(false);
    expect(usageFollowsEvents(counted((t) => t.record('writer', 'draft', { ...paid, costUsd: 0.5 })), one)).toBe(false);
    // A resumed call that came from the cache: its event does not say so, the count does.
    expect(usageFollowsEvents(counted((t) => t.record('writer', 'draft', { ...paid, cached: true })), one)).toBe(false);
    expect(usageFollowsEvents(counted((t) => t.record('writer', 'draft', paid)), [])).toBe(false);
    expect(usageFollowsEvents(counted(() => undefined), one)).toBe(false);
  });

  it('names an end event without the fields counted', () => {
    expect(usageFromEvents(new UsageTracker(NO_LIMITS).snapshot(), [{ seq: 7, type: 'llm-call-end', role: 'writer', model: 'x' }])).toEqual({ malformed: 7 });
  });
});

describe('max_runs counts rebuilt from action-start events (pure)', () => {
  const start = (action: string) => ({ type: 'action-start', round: 2, role: 'r', action, message: 'm0001' });
  const events = [start('draft'), { type: 'action-end', action: 'draft' }, start('review'), start('draft')];

  it('are those before the round plus one per action-start', () => {
    expect(actionRunsFromEvents({ draft: 3 }, events)).toEqual({ draft: 5, review: 1 });
    expect(actionRunsFromEvents({ draft: 3 }, [{ type: 'round-end' }])).toBeUndefined();
    expect(actionRunsFollowEvents(new Map([['draft', 3]]), { draft: 5, review: 1 }, events)).toBe(true);
  });

  it('do not follow events that say something else than what was counted', () => {
    expect(actionRunsFollowEvents(new Map([['draft', 3]]), { draft: 4, review: 1 }, events)).toBe(false);
    expect(actionRunsFollowEvents(new Map(), { draft: 2 }, events)).toBe(false);
    expect(actionRunsFollowEvents(new Map(), { draft: 2, review: 1, other: 1 }, events)).toBe(false);
    expect(actionRunsFollowEvents(new Map(), {}, events)).toBe(false);
  });
});

describe('round-commits without usage and max_runs counts', () => {
  // Priced, unpriced and cached answers, so every usage field moves.
  const answers = (index: number): ScriptedAnswer =>
    index % 3 === 0 ? { text: `paid ${index}`, costUsd: 0.001 * (index + 1) } : index % 3 === 1 ? { text: `cached ${index}`, cached: 'cache' } : `unpriced ${index}`;

  it('a resume point replaying them has the usage and counts the run had at that boundary', async () => {
    const short = await runFixture('ping-pong.yaml', { model: scriptedModel((_request, index) => answers(index)), nRound: 3 });
    const long = await runFixture('ping-pong.yaml', { model: scriptedModel((_request, index) => answers(index)), nRound: 6 });
    const journal = path.join(long.result.runDir, 'journal.jsonl');
    const lines = readLines(journal)?.records ?? [];
    const commits = lines.map((line) => line.record).filter((line) => line.type === 'round-commit');
    expect(commits.length).toBeGreaterThan(3);
    // The first commit records the run's settings; no commit records usage or counts.
    expect(commits.map((line) => Object.keys((line['counters'] as object | undefined) ?? {}))).toEqual(commits.map((_, index) => (index === 0 ? ['options'] : [])));

    // The long run's journal cut after the commit of round 3: the state is the snapshot plus the commits replayed.
    const third = lines.find(({ record }) => record.type === 'round-commit' && record['round'] === 3);
    const text = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, `${text.slice(0, third?.line).join('\n')}\n`);
    const cut = readResumePoint(long.result.runDir).checkpoint;
    expect(cut.round).toBe(3);
    expect(cut.usage.total.calls).toBe(3);
    const whole = readResumePoint(short.result.runDir).checkpoint;
    expect(cut.usage).toEqual(whole.usage);
    expect(cut.actionRuns).toEqual(whole.actionRuns);
    expect(cut.actionRuns).toEqual({ ping: 1, pong: 2 });
  });
});
