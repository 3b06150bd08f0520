import { createHash } from 'node:crypto';
import type { ResolvedGate } from '../spec/resolved.js';
import { frameFields, type ActionFrame } from './action-frame.js';
import type { EventScope } from './event-recorder.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import { approvalKey, pendingApproval, type ApprovalDecision, type ApprovalRequest } from './approval.js';

/**
 * A human gate's decision: the one given to `sop resume` for this gate, else the terminal's
 * answer, else none. Without one the request is recorded and the run halts awaiting approval
 * (the rest of the round finishes first; `sop resume --approve|--reject|--edit` continues it).
 */
export async function humanDecision(state: RunState, events: EventScope, frame: ActionFrame, request: ApprovalRequest): Promise<ApprovalDecision> {
  const where = frameFields(frame);
  const key = approvalKey(request);
  // Decided earlier: by `sop resume --approve|...` for this gate, or on the terminal for this very output.
  const outputKey = `${key}@${createHash('sha256').update(request.output).digest('hex')}`;
  const given = state.approvals.decisions.get(key) ?? state.approvals.given.get(outputKey);
  if (given) {
    state.approvals.decisions.delete(key);
    state.approvals.given.delete(outputKey);
    events.emit({ type: 'approval-decided', ...where, gate: request.gate, decision: given.kind, by: 'resume', ...decisionFields(given) });
    return given;
  }
  events.emit({ type: 'approval-requested', ...where, gate: request.gate, prompt: request.prompt, artifacts: request.artifacts });
  const answered = state.approvals.approver && !state.signal?.aborted ? await state.approvals.approver(request) : undefined;
  if (answered) {
    const { by = 'terminal', ...decision } = answered;
    // Masked like the response journal: feedback or an edit may quote a key.
    state.approvals.journal?.append({ round: request.round, key: outputKey, decision: state.runtime.secrets.maskDeep(decision) });
    events.emit({ type: 'approval-decided', ...where, gate: request.gate, decision: decision.kind, by, ...decisionFields(decision) });
    return decision;
  }
  state.approvals.pending.push(pendingApproval(request));
  throw new RunHalt('awaiting-approval');
}

function decisionFields(decision: ApprovalDecision): { feedback?: string } {
  return decision.kind === 'reject' ? { feedback: decision.feedback } : {};
}

/** The default question of a human gate without `prompt`. */
export function defaultApprovalPrompt(gate: ResolvedGate, frame: ActionFrame): string {
  return `Approve the output of action ${frame.action.id} (role ${frame.role.profile})${gate.name.includes('#') ? '' : ` at gate "${gate.name}"`}?`;
}
