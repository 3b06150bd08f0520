import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/runtime/checkpoint.js';
import type { Message } from '../../src/runtime/message.js';
import { applyRoundCommit, countersOf, roundCommit, type CommitEvent } from '../../src/runtime/round-commit.js';
import { emptyCount } from '../../src/runtime/usage.js';

/** Pure: no files, no models. */

const message = (id: string, from: string, round: number, type = 'Note'): Message => ({ id, type, content: `${id} text`, payload: null, from, to: null, cause: null, round });

function state(): Checkpoint {
  const first = message('m0001', 'user', 0, 'Idea');
  return {
    checkpointVersion: 1,
    runId: 'r',
    status: 'awaiting_approval',
    awaiting: [],
    eventSeq: 3,
    round: 0,
    nextMessageId: 1,
    pending: [first],
    messages: [first],
    memories: { writer: ['m0001'], reviewer: [] },
    messageCounts: { Idea: 1 },
    actionRuns: {},
    usage: { total: emptyCount(), byRole: {}, byAction: {}, byModel: {}, liveTokens: 0 },
    offlineAnswered: false,
    gateStats: [],
    artifacts: [],
    sop: { name: 's', file: '/s.yaml', displayPath: 's.yaml', sha256: 'x' },
    inputs: {},
    workspace: '/w',
    started: '2026-01-01T00:00:00.000Z',
    options: { nRound: 5, investment: null, model: {} },
  };
}

/** The events a round that published `messages` logs (publish, then delivery). */
function roundEvents(round: number, published: Array<{ message: Message; recipients: string[] }>): CommitEvent[] {
  return [
    { type: 'round-start', round },
    ...published.flatMap(({ message: m, recipients }) => [
      { type: 'message-published', round, message: m },
      recipients.length > 0 ? { type: 'message-delivered', round, message: m.id, messageType: m.type, recipients } : { type: 'message-unclaimed', round, message: m.id, messageType: m.type },
    ]),
    { type: 'round-end', round },
  ];
}

describe('round commits', () => {
  it('record only the counters a round changed, as a merge patch', () => {
    const before = state();
    const after = countersOf({
      ...before,
      actionRuns: { write: 1 },
      usage: { ...before.usage, total: { ...before.usage.total, calls: 1 }, byModel: { offline: 1 } },
      artifacts: [{ path: 'docs/a.md', bytes: 3, sha256: 'a' }],
    });
    expect(roundCommit(1, 2, countersOf(before), after)).toEqual({
      type: 'round-commit',
      round: 1,
      nextMessageId: 2,
      counters: { actionRuns: { write: 1 }, usage: { total: { calls: 1 }, byModel: { offline: 1 } }, artifacts: { 'docs/a.md': { path: 'docs/a.md', bytes: 3, sha256: 'a' } } },
    });
    expect(roundCommit(2, 2, after, structuredClone(after))).toEqual({ type: 'round-commit', round: 2, nextMessageId: 2 });
  });

  it('apply: messages, pending, memories and counts come from the round\'s events; the patch from the commit; the run is running again', () => {
    const before = state();
    const draft = message('m0002', 'writer', 1, 'Draft');
    const aside = message('m0003', 'writer', 1);
    const counters = countersOf({ ...before, actionRuns: { write: 1 }, gateStats: [{ action: 'write', gate: 'g', kind: 'command', checks: 1, passed: 1, failed: 0 }] });
    const commit = roundCommit(1, 3, countersOf(before), counters);
    const next = applyRoundCommit(before, { ...commit, seq: 10 }, roundEvents(1, [{ message: draft, recipients: ['reviewer'] }, { message: aside, recipients: [] }]));
    expect(next).toEqual({
      ...before,
      status: 'running',
      awaiting: undefined,
      eventSeq: 9,
      round: 1,
      nextMessageId: 3,
      pending: [draft, aside],
      messages: [before.messages[0], draft, aside],
      // The sender remembers what it published; each recipient what it received.
      memories: { writer: ['m0001', 'm0002', 'm0003'], reviewer: ['m0002'] },
      messageCounts: { Idea: 1, Draft: 1, Note: 1 },
      actionRuns: { write: 1 },
      gateStats: [{ action: 'write', gate: 'g', kind: 'command', checks: 1, passed: 1, failed: 0 }],
    });
    expect(next).not.toHaveProperty('awaiting');
    // The state it started from is unchanged.
    expect(before).toEqual(state());
  });

  it('apply keeps a memory bounded exactly as a live role memory is', () => {
    const before = { ...state(), memories: { writer: Array.from({ length: 4096 }, (_, index) => `m${index}`), reviewer: [] } };
    const next = applyRoundCommit(before, { round: 1, nextMessageId: 2, seq: 5 }, roundEvents(1, [{ message: message('m9999', 'writer', 1), recipients: [] }]));
    expect(next.memories['writer']).toHaveLength(2048);
    expect(next.memories['writer']?.at(-1)).toBe('m9999');
  });

  it('replaying commits one after another gives the same state as applying them as they were written', () => {
    let live = state();
    const written: Array<{ commit: ReturnType<typeof roundCommit> & { seq: number }; events: CommitEvent[] }> = [];
    let counters = countersOf(live);
    for (let round = 1; round <= 5; round += 1) {
      const published = message(`m${String(round + 1).padStart(4, '0')}`, round % 2 === 0 ? 'reviewer' : 'writer', round);
      const nextCounters = countersOf({ ...live, actionRuns: { act: round }, usage: { ...live.usage, liveTokens: round * 10 } });
      const commit = { ...roundCommit(round, round + 1, counters, nextCounters), seq: round * 10 };
      const events = roundEvents(round, [{ message: published, recipients: [round % 2 === 0 ? 'writer' : 'reviewer'] }]);
      written.push({ commit, events: JSON.parse(JSON.stringify(events)) as CommitEvent[] });
      live = applyRoundCommit(live, commit, events);
      counters = nextCounters;
    }
    const replayed = written.reduce((current, { commit, events }) => applyRoundCommit(current, commit, events), state());
    expect(replayed).toEqual(live);
    expect(replayed).toMatchObject({ round: 5, nextMessageId: 6, actionRuns: { act: 5 }, usage: { liveTokens: 50 } });
    expect(replayed.messages).toHaveLength(6);
  });
});
