import type { ApprovalEntry } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import { approvalKey, type ApprovalDecision } from './approval.js';

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

/** Terminal decisions of rounds after the checkpoint: the round runs again and gets them back instead of asking. */
export function givenApprovals(entries: readonly ApprovalEntry[], afterRound: number): Map<string, ApprovalDecision> {
  const given = new Map<string, ApprovalDecision>();
  for (const entry of entries) if (entry.round > afterRound) given.set(entry.key, entry.decision);
  return given;
}
