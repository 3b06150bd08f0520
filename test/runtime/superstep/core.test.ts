import { generate } from 'json-merge-patch';
import { describe, expect, it } from 'vitest';
import { SopError } from '../../../src/errors/index.js';
import type { Message, PendingMessage } from '../../../src/runtime/message.js';
import { planRound } from '../../../src/runtime/superstep/plan.js';
import { endAfterRound, endBeforeRound, isCleanBoundary, type RoleStop } from '../../../src/runtime/superstep/run-end.js';
import { deliver, type DeliveryResult } from '../../../src/runtime/superstep/delivery.js';
import { commitFromJournal, roundCommitLine, type JournalEvent } from '../../../src/runtime/superstep/journal-commit.js';
import { indexRoles, type SopIndex } from '../../../src/runtime/superstep/sop-index.js';
import { applyLedgerPatch, emptyLedger, type LedgerPatch } from '../../../src/runtime/superstep/ledger.js';
import { UsageTracker } from '../../../src/runtime/usage.js';
import { applyCommit, commitRound, emptyState, fromSnapshot, toSnapshot, type RoundCommit, type SuperstepState } from '../../../src/runtime/superstep/state.js';
import type { ResolvedAction, ResolvedRole } from '../../../src/spec/resolved.js';

// The pure core needs no files and no models: roles are plain objects with the fields it reads.
function action(id: string, whenTypes: string[], extra: Partial<ResolvedAction> = {}): ResolvedAction {
  return { id, whenTypes, batch: false, ...extra } as ResolvedAction;
}
function role(id: string, watch: string[], actions: ResolvedAction[] = [action(`${id}_act`, watch)]): ResolvedRole {
  return { id, watch, actions, memory: { policy: 'window', size: 5 } } as unknown as ResolvedRole;
}
function pending(type: string, from: string, to: string | null = null, cause: string | null = null): PendingMessage {
  return { type, content: `${type} from ${from}`, payload: null, from, to, cause };
}
const always = (): boolean => true;

/** What the live loop does with a commit: deliver its messages, then apply it. */
function advance(state: SuperstepState, roles: SopIndex, commit: RoundCommit): DeliveryResult {
  const delivery = deliver(commit.messages, roles);
  applyCommit(state, commit, delivery.recipients);
  return delivery;
}

/** pm → architect → engineer → qa, qa's Review going back to pm and engineer. */
const index = indexRoles([role('pm', ['Idea', 'Review']), role('architect', ['Prd']), role('engineer', ['Design', 'Review']), role('qa', ['Code'])]);

/** A short run's commits: each role publishes the next type when its news arrives. */
function script(): Array<{ round: number; published: PendingMessage[]; ledger?: LedgerPatch }> {
  return [
    { round: 0, published: [pending('Idea', 'user')] },
    { round: 1, published: [pending('Prd', 'pm', null, 'm0001')], ledger: usageDelta('pm', 'pm_act', 1) },
    { round: 2, published: [pending('Design', 'architect', null, 'm0002')], ledger: { ...usageDelta('architect', 'architect_act', 2), artifacts: { 'docs/design.md': { path: 'docs/design.md', sha256: 'a1', bytes: 10 } }, offlineAnswered: true } },
    { round: 3, published: [pending('Code', 'engineer', null, 'm0003'), pending('Note', 'engineer', 'ghost')] },
    { round: 4, published: [pending('Review', 'qa', null, 'm0004')] },
    { round: 5, published: [pending('Code', 'engineer', 'qa', 'm0006')], ledger: { artifacts: { 'docs/design.md': { path: 'docs/design.md', sha256: 'b2', bytes: 12 } }, gateStats: { 'engineer_act/tests': { action: 'engineer_act', gate: 'tests', kind: 'command', checks: 1, passed: 1, failed: 0 } } } },
  ];
}

/** The usage a tracker reports after `calls` calls of one action. */
function usageDelta(roleId: string, actionId: string, calls: number): LedgerPatch {
  const tracker = new UsageTracker({ maxTokens: undefined, investment: undefined });
  for (let call = 0; call < calls; call += 1) tracker.record(roleId, actionId, { modelKey: 'offline', usage: { promptTokens: 3, completionTokens: 2, estimated: false }, costUsd: 0.5, cached: false });
  const usage = tracker.takeChanges();
  return { actionRuns: { [actionId]: calls }, ...(usage ? { usage } : {}) };
}

function liveRun(): { commits: RoundCommit[]; deliveries: DeliveryResult[]; snapshots: ReturnType<typeof toSnapshot>[] } {
  const state = emptyState();
  const commits: RoundCommit[] = [];
  const deliveries: DeliveryResult[] = [];
  const snapshots = [];
  for (const step of script()) {
    const commit = commitRound(state, step.round, step.published, step.ledger);
    deliveries.push(advance(state, index, commit));
    commits.push(commit);
    snapshots.push(structuredClone(toSnapshot(state)));
  }
  return { commits, deliveries, snapshots };
}

describe('commit and apply', () => {
  it('numbers messages in publish order across rounds and counts them by type', () => {
    const { commits, snapshots } = liveRun();
    expect(commits.flatMap((commit) => commit.messages.map((message) => `${message.id}:${message.type}@${message.round}`))).toEqual([
      'm0001:Idea@0', 'm0002:Prd@1', 'm0003:Design@2', 'm0004:Code@3', 'm0005:Note@3', 'm0006:Review@4', 'm0007:Code@5',
    ]);
    const last = snapshots.at(-1);
    expect(last?.messageCounts).toEqual({ Idea: 1, Prd: 1, Design: 1, Code: 2, Note: 1, Review: 1 });
    expect(last?.round).toBe(5);
    expect(last?.nextMessageId).toBe(7);
    expect(last?.pending.map((message) => message.id)).toEqual(['m0007']);
  });

  it('the ledger holds the last value of each counter and artifact the rounds reported', () => {
    const last = liveRun().snapshots.at(-1);
    expect(last?.actionRuns).toEqual({ pm_act: 1, architect_act: 2 });
    expect(Object.keys(last?.usage.byRole ?? {})).toEqual(['pm', 'architect']);
    expect(last?.artifacts).toEqual([{ path: 'docs/design.md', sha256: 'b2', bytes: 12 }]);
    expect(last?.gateStats.map((stats) => `${stats.action}/${stats.gate}:${stats.passed}`)).toEqual(['engineer_act/tests:1']);
    expect(last?.offlineAnswered).toBe(true);
  });

  it("a boundary's usage changes, read after the tracker counted more, are the counts at the boundary; the rest go to the next one", () => {
    const tracker = new UsageTracker({ maxTokens: undefined, investment: undefined });
    const call = (promptTokens: number) => ({ modelKey: 'offline', usage: { promptTokens, completionTokens: 1, estimated: false }, costUsd: 0, cached: false });
    const ledger = emptyLedger();
    tracker.record('pm', 'write_prd', call(10));
    const first = tracker.changesAtBoundary(ledger.usage);
    // The next round counts before the boundary is written: a call, a retry and a re-ask.
    tracker.record('qa', 'review', call(7));
    tracker.countRetry('qa', 'review');
    tracker.countReask('qa', 'review');
    const atBoundary = first();
    expect(Object.keys(atBoundary?.byRole ?? {})).toEqual(['pm']);
    expect(atBoundary?.total).toEqual({ calls: 1, promptTokens: 10, completionTokens: 1 });
    expect(first()).toBe(atBoundary);
    applyLedgerPatch(ledger, { usage: atBoundary ?? {} });
    const second = tracker.changesAtBoundary(ledger.usage)();
    expect(Object.keys(second?.byRole ?? {})).toEqual(['qa']);
    expect(second?.total).toEqual({ calls: 2, promptTokens: 17, completionTokens: 2, retries: 1, reasks: 1 });
    applyLedgerPatch(ledger, { usage: second ?? {} });
    expect(ledger.usage).toEqual(tracker.snapshot());
    // A boundary left unread is taken before the next one, which then reports only its own round.
    tracker.record('pm', 'write_prd', call(1));
    const unread = tracker.changesAtBoundary(ledger.usage);
    tracker.record('qa', 'review', call(1));
    expect(Object.keys(tracker.changesAtBoundary(ledger.usage)()?.byRole ?? {})).toEqual(['qa']);
    expect(Object.keys(unread()?.byRole ?? {})).toEqual(['pm']);
  });

  it('a round reports only the usage entries it touched', () => {
    const tracker = new UsageTracker({ maxTokens: undefined, investment: undefined });
    const call = { modelKey: 'offline', usage: { promptTokens: 1, completionTokens: 1, estimated: false }, costUsd: 0, cached: false };
    tracker.record('pm', 'write_prd', call);
    tracker.takeChanges();
    tracker.record('qa', 'review', call);
    const changes = tracker.takeChanges();
    expect(Object.keys(changes?.byRole ?? {})).toEqual(['qa']);
    expect(changes?.total?.calls).toBe(2);
    expect(tracker.takeChanges()).toBeUndefined();
  });

  it('against the recorded counts, a round reports only the fields that changed, as RFC 7396 generate gives them, and applying it gives the live counts', () => {
    const tracker = new UsageTracker({ maxTokens: undefined, investment: undefined });
    const call = (promptTokens: number) => ({ modelKey: 'offline', usage: { promptTokens, completionTokens: 1, estimated: false }, costUsd: 0, cached: false });
    // Even reviewers ran in the first round; in the second every reviewer runs (odd ones are new).
    for (let index = 0; index < 1000; index += 2) tracker.record(`reviewer_${index}`, `review_${index}`, call(10));
    const ledger = emptyLedger();
    applyLedgerPatch(ledger, { usage: tracker.takeChanges(ledger.usage) ?? {} });
    const recorded = structuredClone(ledger.usage);
    for (let index = 0; index < 1000; index += 1) tracker.record(`reviewer_${index}`, `review_${index}`, call(10));
    const changes = tracker.takeChanges(ledger.usage);
    const live = tracker.snapshot();
    const touched = { total: live.total, byRole: live.byRole, byAction: live.byAction, byModel: live.byModel, liveTokens: live.liveTokens };
    expect(changes).toEqual(generate(recorded, touched));
    expect(changes?.byRole?.['reviewer_0']).toEqual({ calls: 2, promptTokens: 20, completionTokens: 2 });
    expect(changes?.byRole?.['reviewer_1']).toEqual(live.byRole['reviewer_1']);
    applyLedgerPatch(ledger, { usage: changes ?? {} });
    expect(ledger.usage).toEqual(live);
    // What a patch read from a file names cannot reach the prototype.
    applyLedgerPatch(ledger, JSON.parse('{"usage": {"byRole": {"__proto__": {"calls": 1}}, "byModel": {"__proto__": {"x": 1}}}}') as LedgerPatch);
    expect(ledger.usage).toEqual(live);
    expect(({} as Record<string, unknown>)['calls']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('a role remembers what it received and what it published, never what went elsewhere', () => {
    const { snapshots } = liveRun();
    expect(snapshots.at(-1)?.memories).toEqual({
      pm: ['m0001', 'm0002', 'm0006'],
      architect: ['m0002', 'm0003'],
      engineer: ['m0003', 'm0004', 'm0005', 'm0006', 'm0007'],
      qa: ['m0004', 'm0006', 'm0007'],
    });
  });

  it('replaying the commits after any snapshot gives the state the live run had', () => {
    const { commits, snapshots } = liveRun();
    for (let at = 0; at < commits.length; at += 1) {
      const resumed = fromSnapshot(structuredClone(snapshots[at] as ReturnType<typeof toSnapshot>));
      for (const commit of commits.slice(at + 1)) advance(resumed, index, structuredClone(commit));
      expect(toSnapshot(resumed)).toEqual(snapshots.at(-1));
    }
  });

  it('a commit read back from its journal line and its round\'s events replays to the same state', () => {
    const { commits, deliveries, snapshots } = liveRun();
    const resumed = fromSnapshot(structuredClone(snapshots[0] as ReturnType<typeof toSnapshot>));
    commits.slice(1).forEach((commit, offset) => {
      const delivery = deliveries[offset + 1] as DeliveryResult;
      const events: JournalEvent[] = commit.messages.flatMap((message, index) => [
        { seq: 2 * index + 1, type: 'message-published', round: commit.round, message },
        { seq: 2 * index + 2, type: 'message-delivered', round: commit.round, message: message.id, recipients: delivery.recipients.get(message.id) ?? [] },
      ]);
      const { type: _type, ...line } = JSON.parse(JSON.stringify(roundCommitLine(commit))) as ReturnType<typeof roundCommitLine>;
      const read = commitFromJournal(line, 2 * commit.messages.length + 1, JSON.parse(JSON.stringify(events)) as JournalEvent[], resumed.nextMessageId);
      if ('damage' in read) throw new Error(read.damage.what);
      applyCommit(resumed, read.commit, read.recipients);
    });
    expect(toSnapshot(resumed)).toEqual(snapshots.at(-1));
  });

  it('each message has a thread: the start message it follows back to by `cause`, and the exchanges since it', () => {
    const state = emptyState();
    for (const step of script()) advance(state, index, commitRound(state, step.round, step.published, step.ledger));
    // m0005 (Note) has no cause: a thread of its own. m0007 answers m0006 answering m0004 ... back to m0001.
    expect(Object.fromEntries(state.threads)).toEqual({
      m0001: { id: 'm0001', turn: 0 },
      m0002: { id: 'm0001', turn: 1 },
      m0003: { id: 'm0001', turn: 2 },
      m0004: { id: 'm0001', turn: 3 },
      m0005: { id: 'm0005', turn: 0 },
      m0006: { id: 'm0001', turn: 4 },
      m0007: { id: 'm0001', turn: 5 },
    });
  });

  it('a resumed run rebuilds the threads from its snapshot and replayed commits: they are never recorded', () => {
    const { commits, snapshots } = liveRun();
    const live = emptyState();
    for (const commit of commits) advance(live, index, structuredClone(commit));
    for (let at = 0; at < commits.length; at += 1) {
      const snapshot = structuredClone(snapshots[at] as ReturnType<typeof toSnapshot>);
      expect(Object.keys(snapshot)).not.toContain('threads');
      const resumed = fromSnapshot(snapshot);
      for (const commit of commits.slice(at + 1)) advance(resumed, index, structuredClone(commit));
      expect(resumed.threads).toEqual(live.threads);
    }
  });

  it('a commit does not change the state until it is applied', () => {
    const state = emptyState();
    commitRound(state, 0, [pending('Idea', 'user')]);
    expect(toSnapshot(state)).toEqual(toSnapshot(emptyState()));
  });

  it('a long run keeps each role memory bounded', () => {
    const loop = indexRoles([role('a', ['Pong']), role('b', ['Ping'])]);
    const state = emptyState();
    for (let round = 0; round < 5000; round += 1) advance(state, loop, commitRound(state, round, [pending(round % 2 === 0 ? 'Ping' : 'Pong', round % 2 === 0 ? 'a' : 'b')]));
    expect(state.memories.get('a')?.length).toBeLessThanOrEqual(4096);
    expect(state.memories.get('a')?.at(-1)?.id).toBe('m5000');
    expect(state.messages.size).toBe(5000);
  });
});

describe('delivery and planning', () => {
  it('the next round goes to the roles with news, in declaration order, whatever the publish order', () => {
    const state = emptyState();
    const delivery = advance(state, index, commitRound(state, 4, [pending('Review', 'qa'), pending('Prd', 'user')]));
    expect(delivery.recipients.get('m0001')).toEqual(['pm', 'engineer']);
    const plan = planRound(delivery.byRole, index, always);
    expect(plan.map((work) => work.role.id)).toEqual(['pm', 'architect', 'engineer']);
    expect(plan[0]?.triggers.map((trigger) => trigger.message.id)).toEqual(['m0001']);
  });

  it('an addressed message triggers actions without an explicit when.type; when.if and batches are honoured', () => {
    const reviewer = role('reviewer', ['Code'], [
      action('explicit', ['Code']),
      action('default', ['Code']),
      action('only_big', ['Code'], { whenIf: {} as never }),
      action('digest', ['Code'], { batch: true }),
    ]);
    const team = indexRoles([reviewer], new Set(['explicit', 'only_big', 'digest']));
    const state = emptyState();
    const delivery = advance(state, team, commitRound(state, 1, [pending('Code', 'dev'), pending('Question', 'dev', 'reviewer'), pending('Code', 'dev')]));
    const condition = (candidate: ResolvedAction, message: Message): boolean => candidate.id !== 'only_big' || message.id === 'm0003';
    const [work] = planRound(delivery.byRole, team, condition);
    expect(work?.triggers.map((trigger) => [trigger.message.id, trigger.actions.map((candidate) => candidate.id)])).toEqual([
      ['m0001', ['explicit', 'default']],
      ['m0002', ['default']],
      ['m0003', ['explicit', 'default', 'only_big']],
    ]);
    expect(work?.batches.map((batch) => [batch.action.id, batch.messages.map((message) => message.id)])).toEqual([['digest', ['m0001', 'm0003']]]);
  });

  it('an idle bus plans nothing', () => {
    expect(planRound(new Map(), index, always)).toEqual([]);
  });
});

describe('how the run ends', () => {
  const on = { aborted: false, planned: 2, hasStopWhen: false, budgetSpent: false, round: 3, nRound: 10 };
  it('before a round: interrupted, idle, budget spent, round limit, in that order', () => {
    expect(endBeforeRound(on)).toBeUndefined();
    expect(endBeforeRound({ ...on, aborted: true, planned: 0, budgetSpent: true, round: 10 })?.status).toBe('interrupted');
    expect(endBeforeRound({ ...on, planned: 0, budgetSpent: true })?.status).toBe('completed');
    expect(endBeforeRound({ ...on, planned: 0, hasStopWhen: true })?.status).toBe('stalled');
    expect(endBeforeRound({ ...on, budgetSpent: true, round: 10 })).toEqual({ status: 'budget_exhausted', budgetStop: { reason: 'spent' } });
    expect(endBeforeRound({ ...on, round: 10 })?.status).toBe('round_limit');
  });

  it('after a round: interrupted, failed, gate, awaiting approval, stop_when, budget, in that order', () => {
    const failed: RoleStop = { reason: 'failed', error: new SopError('TEMPLATE_RENDER', 'boom') };
    const stop = (...reasons: Array<RoleStop['reason']>): RoleStop[] => reasons.map((reason) => (reason === 'failed' ? failed : ({ reason } as RoleStop)));
    expect(endAfterRound([], false, () => false)).toBeUndefined();
    expect(endAfterRound(stop('budget', 'failed'), true, () => true)?.status).toBe('interrupted');
    expect(endAfterRound(stop('budget', 'gate', 'failed'), false, () => true)).toEqual({ status: 'failed', error: failed.reason === 'failed' ? failed.error : undefined });
    expect(endAfterRound(stop('awaiting-approval', 'gate'), false, () => true)?.status).toBe('gate_stopped');
    expect(endAfterRound(stop('budget', 'awaiting-approval'), false, () => true)?.status).toBe('awaiting_approval');
    expect(endAfterRound(stop('budget'), false, () => true)?.status).toBe('completed');
    expect(endAfterRound(stop('budget'), false, () => false)?.status).toBe('budget_exhausted');
  });

  it('a stop_when that cannot be evaluated fails the run with its error', () => {
    const error = new SopError('EXPRESSION_EVAL', 'sop.yaml:3:5: expression gave a list');
    expect(endAfterRound([], false, () => { throw error; })).toEqual({ status: 'failed', error });
  });

  it('only a round without early stops and without an interrupt is a boundary to resume from', () => {
    expect(isCleanBoundary([], false)).toBe(true);
    expect(isCleanBoundary([], true)).toBe(false);
    expect(isCleanBoundary([{ reason: 'budget' }], false)).toBe(false);
  });
});
