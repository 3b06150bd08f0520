import { describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors/index.js';
import type { PendingApproval } from '../../src/runtime/approval.js';
import { awaitedName } from '../../src/runtime/approval.js';
import { awaitedFor } from '../../src/runtime/resume-approvals.js';

const pending = (role: string, action: string, gate: string, message?: string): PendingApproval => ({
  gate, role, action, prompt: '?', round: 1, outputType: 'Plan', format: 'markdown', artifacts: [], excerpt: '', ...(message ? { message } : {}),
});

/** Two runs of the planner's action (two trigger messages) and a reviewer's gate, awaiting at once. */
const awaiting = [pending('planner', 'plan', 'approve-plan', 'm0001'), pending('planner', 'plan', 'approve-plan', 'm0002'), pending('reviewer', 'review', 'approved', 'm0003')];

describe('awaitedFor: the awaited approvals a sop resume --gate decision is for', () => {
  it('matches a role, an action, a gate or a trigger message, and names joined by /', () => {
    expect(awaitedFor(awaiting, undefined)).toEqual(awaiting);
    expect(awaitedFor(awaiting, ['planner'])).toEqual(awaiting.slice(0, 2));
    expect(awaitedFor(awaiting, ['approved'])).toEqual(awaiting.slice(2));
    expect(awaitedFor(awaiting, ['plan/m0002'])).toEqual([awaiting[1]]);
    // Several names: each approval once, in the run's order.
    expect(awaitedFor(awaiting, ['review', 'm0001', 'planner/m0001'])).toEqual([awaiting[0], awaiting[2]]);
  });

  it('names each one so that --gate finds it alone: the trigger message only where the role awaits two', () => {
    expect(awaiting.map((one) => awaitedName(one, awaiting))).toEqual(['planner/approve-plan/m0001', 'planner/approve-plan/m0002', 'reviewer/approved']);
    for (const one of awaiting) expect(awaitedFor(awaiting, [awaitedName(one, awaiting)])).toEqual([one]);
  });

  it('adds the action when two actions of a role, with one gate name, took the same message', () => {
    const twoActions = [pending('writer', 'draft', 'approve', 'm0001'), pending('writer', 'polish', 'approve', 'm0001')];
    expect(twoActions.map((one) => awaitedName(one, twoActions))).toEqual(['writer/approve/draft', 'writer/approve/polish']);
    for (const one of twoActions) expect(awaitedFor(twoActions, [awaitedName(one, twoActions)])).toEqual([one]);
  });

  it('tells foreach items apart by `#N` when role, gate and message are the same', () => {
    const items = [0, 1, 2].map((index) => ({ ...pending('writer', 'write', 'approve', 'm0001'), index }));
    expect(items.map((one) => awaitedName(one, items))).toEqual(['writer/approve#0', 'writer/approve#1', 'writer/approve#2']);
    expect(awaitedFor(items, ['write#2', 'm0001#0'])).toEqual([items[0], items[2]]);
  });

  it('refuses a name that matches none, before anything is decided', () => {
    const refusal = (() => {
      try {
        awaitedFor(awaiting, ['planner', 'plan/m0003']);
      } catch (error) {
        return error as SopError;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(SopError);
    expect(refusal?.code).toBe('USAGE');
    expect(refusal?.message).toBe('--gate plan/m0003: no awaited approval has that role, action, gate, message or item');
    expect(refusal?.hint).toBe('the run awaits: planner/approve-plan/m0001, planner/approve-plan/m0002, reviewer/approved');
  });
});
