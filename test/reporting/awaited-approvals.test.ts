import { describe, expect, it } from 'vitest';
import { awaitedApprovals } from '../../src/reporting/awaited-approvals.js';
import { awaitedName, type PendingApproval } from '../../src/runtime/approval.js';

const pending = (action: string, gate: string, message?: string, index?: number): PendingApproval => ({
  gate, role: 'planner', action, prompt: '?', round: 1, outputType: 'Plan', format: 'markdown', artifacts: [], excerpt: '',
  ...(message === undefined ? {} : { message }), ...(index === undefined ? {} : { index }),
});

/** What a pause line names of each awaited approval beside role, action and gate, and the `--gate` name of each. */
function named(awaiting: PendingApproval[]): { lines: Array<{ index?: number; message?: string }>; gates: string[] } {
  return {
    lines: awaitedApprovals(awaiting).map(({ index, message }) => ({ ...(index === undefined ? {} : { index }), ...(message === undefined ? {} : { message }) })),
    gates: awaiting.map((one) => awaitedName(one, awaiting)),
  };
}

/**
 * A paused run's lines and `sop resume --gate`'s names say the trigger message by one rule: where
 * another approval alike in what is named came of another message. The line names the action and
 * the item, the `--gate` name the role and gate only, so the two say it in different places.
 */
describe('the trigger message of an awaited approval, in the pause line and the --gate name', () => {
  it('two runs of one action (two messages): both name it', () => {
    expect(named([pending('plan', 'approve', 'm1'), pending('plan', 'approve', 'm2')])).toEqual({
      lines: [{ message: 'm1' }, { message: 'm2' }],
      gates: ['planner/approve/m1', 'planner/approve/m2'],
    });
  });

  it('foreach items of two messages: both name it, the --gate name the item too', () => {
    const awaiting = [pending('plan', 'approve', 'm1', 0), pending('plan', 'approve', 'm1', 1), pending('plan', 'approve', 'm2', 0)];
    expect(named(awaiting)).toEqual({
      lines: [{ index: 0, message: 'm1' }, { index: 1 }, { index: 0, message: 'm2' }],
      gates: ['planner/approve/m1#0', 'planner/approve/m1#1', 'planner/approve/m2'],
    });
  });

  it('one gate name in two actions of a role: the --gate name says the message, the line names the action', () => {
    expect(named([pending('plan', 'approve', 'm1'), pending('revise', 'approve', 'm2')])).toEqual({
      lines: [{}, {}],
      gates: ['planner/approve/m1', 'planner/approve/m2'],
    });
  });

  it('items of one message, or records without messages: neither names one', () => {
    expect(named([pending('plan', 'approve', 'm1', 0), pending('plan', 'approve', 'm1', 1)])).toEqual({ lines: [{ index: 0 }, { index: 1 }], gates: ['planner/approve#0', 'planner/approve#1'] });
    expect(named([pending('plan', 'approve', undefined, 0), pending('plan', 'approve', undefined, 1)])).toEqual({ lines: [{ index: 0 }, { index: 1 }], gates: ['planner/approve#0', 'planner/approve#1'] });
  });
});
