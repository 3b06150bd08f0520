import { apply, generate } from 'json-merge-patch';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/runtime/message.js';
import { commitFromJournal, roundCommitLine, type JournalEvent } from '../../src/runtime/superstep/journal-commit.js';
import { applyLedgerPatch, changedFields, emptyLedger, type Ledger, type LedgerPatch } from '../../src/runtime/superstep/ledger.js';
import { applyCommit, fromSnapshot, toSnapshot, type RoundCommit, type StateSnapshot } from '../../src/runtime/superstep/state.js';
import { emptyCount } from '../../src/runtime/usage.js';

/** Pure: no files, no models. A journal round-commit line and its round's events, applied by the core. */

const message = (id: string, from: string, round: number, type = 'Note'): Message => ({ id, type, content: `${id} text`, payload: null, from, to: null, cause: null, round });

function snapshot(): StateSnapshot {
  const first = message('m0001', 'user', 0, 'Idea');
  return {
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
  };
}

/** The events a round that published `messages` logs (publish, then delivery), as read back from the journal. */
function roundEvents(round: number, published: Array<{ message: Message; recipients: string[] }>): JournalEvent[] {
  const events = JSON.parse(
    JSON.stringify([
      { type: 'round-start', round },
      ...published.flatMap(({ message: m, recipients }) => [
        { type: 'message-published', round, message: m },
        recipients.length > 0 ? { type: 'message-delivered', round, message: m.id, messageType: m.type, recipients } : { type: 'message-unclaimed', round, message: m.id, messageType: m.type },
      ]),
      { type: 'round-end', round },
    ]),
  ) as Array<Omit<JournalEvent, 'seq'>>;
  return events.map((event, index) => ({ seq: 100 + index, ...event }) as JournalEvent);
}

/** Reads a commit line back (JSON round trip) and applies it with its round's events. */
function replay(state: ReturnType<typeof fromSnapshot>, commit: RoundCommit, events: JournalEvent[]): void {
  const { type: _type, ...line } = JSON.parse(JSON.stringify(roundCommitLine(commit))) as ReturnType<typeof roundCommitLine>;
  const read = commitFromJournal(line, 200, events, state.nextMessageId);
  if ('damage' in read) throw new Error(read.damage.what);
  applyCommit(state, read.commit, read.recipients);
}

describe('round commits', () => {
  it('record only the counters a round changed, as a merge patch', () => {
    const before: Ledger = emptyLedger();
    const touched = {
      actionRuns: { write: 1 },
      usage: { total: { ...before.usage.total, calls: 1 }, byModel: { offline: 1 } },
      artifacts: { 'docs/a.md': { path: 'docs/a.md', bytes: 3, sha256: 'a' } },
    };
    const patch = changedFields(before, touched);
    expect(roundCommitLine({ round: 1, nextMessageId: 2, messages: [], ledger: patch })).toEqual({
      type: 'round-commit',
      round: 1,
      nextMessageId: 2,
      counters: { actionRuns: { write: 1 }, usage: { total: { calls: 1 }, byModel: { offline: 1 } }, artifacts: { 'docs/a.md': { path: 'docs/a.md', bytes: 3, sha256: 'a' } } },
    });
    const after = fromSnapshot(snapshot());
    applyCommit(after, { round: 1, nextMessageId: 1, messages: [], ledger: patch }, new Map());
    expect(changedFields(after.ledger, touched)).toEqual({});
    expect(roundCommitLine({ round: 2, nextMessageId: 2, messages: [] })).toEqual({ type: 'round-commit', round: 2, nextMessageId: 2 });
  });

  it('a round touching a thousand roles records, for each, only the fields that changed, as RFC 7396 generate gives them', () => {
    const count = (calls: number, promptTokens: number): ReturnType<typeof emptyCount> => ({ ...emptyCount(), calls, promptTokens, estimated: true });
    const before: Ledger = emptyLedger();
    const touched = { actionRuns: {} as Record<string, number>, usage: { byRole: {} as Record<string, ReturnType<typeof emptyCount>>, liveTokens: 0 } };
    for (let index = 0; index < 1000; index += 1) {
      // Even roles ran before (one of their fields changes); odd roles are new.
      if (index % 2 === 0) {
        before.actionRuns[`act_${index}`] = 1;
        before.usage.byRole[`role_${index}`] = count(1, 10);
      }
      touched.actionRuns[`act_${index}`] = index % 4 === 0 ? 1 : 2;
      touched.usage.byRole[`role_${index}`] = count(index % 2 === 0 ? 2 : 1, 10);
    }
    const patch = changedFields(before, touched);
    // What the library makes of the touched entries (the ledger cut to their keys: nothing is removed).
    const beforeTouched = {
      actionRuns: Object.fromEntries(Object.keys(touched.actionRuns).map((key) => [key, before.actionRuns[key]])),
      usage: { byRole: Object.fromEntries(Object.keys(touched.usage.byRole).map((key) => [key, before.usage.byRole[key]])), liveTokens: before.usage.liveTokens },
    };
    expect(patch).toEqual(generate(beforeTouched, touched));
    expect(Object.keys(patch.actionRuns ?? {})).toHaveLength(750);
    expect(patch.usage?.byRole?.['role_0']).toEqual({ calls: 2 });
    expect(patch.usage?.byRole?.['role_1']).toEqual(count(1, 10));
    expect(patch.usage).not.toHaveProperty('liveTokens');
  });

  it('a patch read back from a journal applies as RFC 7396 says (null removes), and no key reaches a prototype', () => {
    const ledger = emptyLedger();
    const stats = { action: 'a', gate: 'g', kind: 'command' as const, checks: 1, passed: 1, failed: 0 };
    applyLedgerPatch(ledger, { actionRuns: { a: 1, b: 2 }, gateStats: { 'a/g': stats }, artifacts: { 'x.md': { path: 'x.md', bytes: 1, sha256: 's' } } });
    const before = JSON.parse(JSON.stringify(ledger)) as Ledger;
    const text = '{"actionRuns": {"b": null, "__proto__": {"polluted": 1}}, "gateStats": {"a/g": {"checks": 2, "failed": 1}}, "artifacts": {"y.md": {"path": "y.md", "bytes": 2, "sha256": "t"}}}';
    applyLedgerPatch(ledger, JSON.parse(text) as LedgerPatch);
    expect(ledger.actionRuns).toEqual({ a: 1 });
    expect(ledger.gateStats['a/g']).toEqual({ ...stats, checks: 2, failed: 1 });
    expect(Object.keys(ledger.artifacts)).toEqual(['x.md', 'y.md']);
    // What the library gives for the same patch on a plain copy (it leaves out a patch with __proto__ from there on).
    const { actionRuns: _runs, ...rest } = JSON.parse(text) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(ledger))).toEqual(apply(apply(before, { actionRuns: { b: null } }), rest));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('apply: messages, pending, memories and counts come from the round\'s events; the patch from the commit', () => {
    const state = fromSnapshot(snapshot());
    const draft = message('m0002', 'writer', 1, 'Draft');
    const aside = message('m0003', 'writer', 1);
    const gateStats = { 'write/g': { action: 'write', gate: 'g', kind: 'command' as const, checks: 1, passed: 1, failed: 0 } };
    replay(state, { round: 1, nextMessageId: 3, messages: [draft, aside], ledger: { actionRuns: { write: 1 }, gateStats } }, roundEvents(1, [{ message: draft, recipients: ['reviewer'] }, { message: aside, recipients: [] }]));
    expect(toSnapshot(state)).toEqual({
      ...snapshot(),
      round: 1,
      nextMessageId: 3,
      pending: [draft, aside],
      messages: [snapshot().messages[0], draft, aside],
      // The sender remembers what it published; each recipient what it received.
      memories: { writer: ['m0001', 'm0002', 'm0003'], reviewer: ['m0002'] },
      messageCounts: { Idea: 1, Draft: 1, Note: 1 },
      actionRuns: { write: 1 },
      gateStats: [gateStats['write/g']],
    });
  });

  it('rejected drafts: a round commits the marks it changed, a snapshot lists them, and one of an older version has none', () => {
    const state = fromSnapshot(snapshot());
    replay(state, { round: 1, nextMessageId: 1, messages: [], ledger: { rejectedArtifacts: { 'draft.md': true, 'old.md': true } } }, roundEvents(1, []));
    replay(state, { round: 2, nextMessageId: 1, messages: [], ledger: { rejectedArtifacts: { 'old.md': null } } }, roundEvents(2, []));
    const written = JSON.parse(JSON.stringify(toSnapshot(state))) as StateSnapshot;
    expect(written.rejectedArtifacts).toEqual(['draft.md']);
    expect(Object.keys(fromSnapshot(written).ledger.rejectedArtifacts)).toEqual(['draft.md']);
    // Most runs reject nothing: their snapshots do not name the field, as before.
    expect(toSnapshot(fromSnapshot(snapshot()))).not.toHaveProperty('rejectedArtifacts');
    expect(fromSnapshot(snapshot()).ledger.rejectedArtifacts).toEqual({});
  });

  it('apply keeps a memory bounded exactly as a live role memory is', () => {
    const many = Array.from({ length: 4096 }, (_, index) => message(`m${index}`, 'writer', 0));
    const state = fromSnapshot({ ...snapshot(), messages: many, memories: { writer: many.map((m) => m.id), reviewer: [] } });
    replay(state, { round: 1, nextMessageId: 2, messages: [message('m0002', 'writer', 1)] }, roundEvents(1, [{ message: message('m0002', 'writer', 1), recipients: [] }]));
    expect(state.memories.get('writer')).toHaveLength(2048);
    expect(state.memories.get('writer')?.at(-1)?.id).toBe('m0002');
  });

  it('replaying commits one after another gives the same state as applying them as they were made', () => {
    const live = fromSnapshot(snapshot());
    const written: Array<{ commit: RoundCommit; events: JournalEvent[] }> = [];
    for (let round = 1; round <= 5; round += 1) {
      const published = message(`m${String(round + 1).padStart(4, '0')}`, round % 2 === 0 ? 'reviewer' : 'writer', round);
      const recipients = [round % 2 === 0 ? 'writer' : 'reviewer'];
      const ledger = changedFields(live.ledger, { actionRuns: { act: round }, usage: { liveTokens: round * 10 } });
      const commit: RoundCommit = { round, nextMessageId: round + 1, messages: [published], ledger };
      written.push({ commit, events: roundEvents(round, [{ message: published, recipients }]) });
      applyCommit(live, commit, new Map([[published.id, recipients]]));
    }
    const replayed = fromSnapshot(snapshot());
    for (const { commit, events } of written) replay(replayed, commit, events);
    expect(toSnapshot(replayed)).toEqual(toSnapshot(live));
    expect(toSnapshot(replayed)).toMatchObject({ round: 5, nextMessageId: 6, actionRuns: { act: 5 }, usage: { liveTokens: 50 } });
    expect(replayed.messages.size).toBe(6);
  });

  it('a commit whose round\'s lines are not what the writer wrote names the line and what is wrong instead of giving a wrong state', () => {
    const draft = message('m0002', 'writer', 1, 'Draft');
    const events = roundEvents(1, [{ message: draft, recipients: ['reviewer'] }]);
    const line = { round: 1, nextMessageId: 2 };
    const read = (changed: JournalEvent[], commit: typeof line & { counters?: object } = line): unknown => commitFromJournal(commit, 200, changed, 1);
    const published = events.findIndex((event) => event.type === 'message-published');
    const withEvent = (index: number, change: Record<string, unknown>): JournalEvent[] => events.map((event, at) => (at === index ? { ...event, ...change } : event));
    expect(read(events)).toMatchObject({ commit: { messages: [draft] } });
    // The message is not a message (valid JSON, wrong content).
    expect(read(withEvent(published, { message: null }))).toEqual({ damage: { seq: 101, what: expect.stringContaining('no whole message') } });
    // A message with an id out of line (a lost or changed line).
    expect(read(withEvent(published, { message: { ...draft, id: 'm0003' } }))).toEqual({ damage: { seq: 101, what: expect.stringContaining('m0003 of round 1 is not the next one (m0002 of round 1)') } });
    // The published message's line became another event: its delivery names a message the round lacks.
    expect(read(withEvent(published, { type: 'message-lost' }))).toEqual({ damage: { seq: 102, what: expect.stringContaining('message-delivered') } });
    // The commit counts another number of messages than its round published.
    expect(read(events, { round: 1, nextMessageId: 3 })).toEqual({ damage: { seq: 200, what: expect.stringContaining('nextMessageId 3 does not follow the 1 messages its round published (expected 2)') } });
    expect(read(withEvent(published + 1, { recipients: 'reviewer' }))).toEqual({ damage: { seq: 102, what: expect.stringContaining('message-delivered') } });
    expect(read(events, { ...line, counters: { usage: null } })).toEqual({ damage: { seq: 200, what: expect.stringContaining('counters.usage') } });
    expect(read(events, { ...line, counters: { mystery: {} } })).toEqual({ damage: { seq: 200, what: expect.stringContaining('counters.mystery') } });
  });
});
