import type { SopError } from '../../errors/index.js';
import type { BudgetStop } from '../budget.js';
import { asRunError } from '../run-error.js';
import type { RunStatus } from '../status.js';

/** Why a role's turn ended early (`RoleOutcome.stop`); a halt may carry the error behind it (an `approve` function that threw). */
export type RoleStop = { reason: 'failed'; error: SopError } | { reason: 'gate' | 'budget' | 'interrupted' | 'awaiting-approval'; error?: SopError };

/** How the run ends, when it does. */
export interface RunEnd {
  status: RunStatus;
  error?: SopError;
  /** Set when the budget was found spent between rounds. */
  budgetStop?: BudgetStop;
}

/** What decides, before a round starts, whether it runs. */
export interface BeforeRound {
  aborted: boolean;
  /** Roles with work this round (0: the bus is idle). */
  planned: number;
  /** The SOP has `stop_when` conditions (idle then means stalled, not completed). */
  hasStopWhen: boolean;
  budgetSpent: boolean;
  /** Rounds run so far, and the limit. */
  round: number;
  nRound: number;
}

/** Before a round: interrupted, idle (completed or stalled), budget spent, round limit, or on. */
export function endBeforeRound(input: BeforeRound): RunEnd | undefined {
  if (input.aborted) return { status: 'interrupted' };
  if (input.planned === 0) return { status: input.hasStopWhen ? 'stalled' : 'completed' };
  if (input.budgetSpent) return { status: 'budget_exhausted', budgetStop: { reason: 'spent' } };
  if (input.round >= input.nRound) return { status: 'round_limit' };
  return undefined;
}

/** A boundary a resumed run can start from: no role stopped early and no interrupt. */
export function isCleanBoundary(stops: readonly RoleStop[], aborted: boolean): boolean {
  return stops.length === 0 && !aborted;
}

/**
 * After a round: interrupted, failed, gate stop, awaiting approval, `stop_when` met, budget spent,
 * or on. `stopMet` (evaluating `stop_when` over the round's messages) is asked only when no role
 * stopped for a reason that comes first; an error it throws fails the run.
 */
export function endAfterRound(stops: readonly RoleStop[], aborted: boolean, stopMet: () => boolean): RunEnd | undefined {
  if (aborted || stops.some((stop) => stop.reason === 'interrupted')) return { status: 'interrupted' };
  const failure = stops.find((stop) => stop.reason === 'failed');
  if (failure?.reason === 'failed') return { status: 'failed', error: failure.error };
  if (stops.some((stop) => stop.reason === 'gate')) return { status: 'gate_stopped' };
  // The round's other work is done (and its calls journaled); resuming runs the round again.
  const awaiting = stops.filter((stop) => stop.reason === 'awaiting-approval');
  if (awaiting.length > 0) {
    // Every gate awaits its decision; the first `approve` failure is the one the run reports.
    const error = awaiting.find((stop) => stop.error)?.error;
    return error ? { status: 'awaiting_approval', error } : { status: 'awaiting_approval' };
  }
  try {
    if (stopMet()) return { status: 'completed' };
  } catch (error) {
    return { status: 'failed', error: asRunError(error) };
  }
  if (stops.some((stop) => stop.reason === 'budget')) return { status: 'budget_exhausted' };
  return undefined;
}
