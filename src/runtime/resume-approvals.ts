import type { Checkpoint } from './checkpoint.js';
import { approvalKey, type ApprovalDecision } from './human-gate.js';

/**
 * The decision `sop resume` was given, for each human gate the run was awaiting: when the round
 * runs again, those gates take it instead of asking. Gates reached later ask anew.
 */
export function approvalDecisions(checkpoint: Checkpoint | undefined, decision: ApprovalDecision | undefined): Map<string, ApprovalDecision> {
  const decisions = new Map<string, ApprovalDecision>();
  if (!checkpoint || !decision) return decisions;
  for (const pending of checkpoint.awaiting ?? []) decisions.set(approvalKey(pending), decision);
  return decisions;
}
