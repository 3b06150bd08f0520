import type { SopError } from '../errors/index.js';

/**
 * Thrown inside a role's work when the run must stop for a reason that is not the action's fault:
 * the budget is spent, the user interrupted, or a human gate awaits a decision nobody can give now.
 * The role runner catches it and stops quietly; `error` says why, when the halt is a failure's
 * (an `approve` function that threw: the gate still awaits its decision).
 */
export class RunHalt extends Error {
  constructor(
    readonly reason: 'budget' | 'interrupted' | 'awaiting-approval',
    readonly error?: SopError,
  ) {
    super(reason === 'budget' ? 'budget exhausted' : reason === 'awaiting-approval' ? 'awaiting approval' : 'interrupted');
    this.name = 'RunHalt';
  }
}

/**
 * A halt at a human gate: the work that does not depend on the awaited output still runs to its own
 * gates (a foreach's other items, a role's other trigger messages), so one resume decides them all.
 */
export function awaitsApproval(error: unknown): error is RunHalt {
  return error instanceof RunHalt && error.reason === 'awaiting-approval';
}
