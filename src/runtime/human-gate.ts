import { createHash } from 'node:crypto';
import { isSopError, SopError } from '../errors/index.js';
import type { ResolvedGate } from '../spec/resolved.js';
import { frameFields, type ActionFrame } from './action-frame.js';
import type { EventScope } from './event-recorder.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import { approvalKey, legacyApprovalKey, pendingApproval, type ApprovalDecision, type ApprovalRequest, type Approver, type DecisionBy } from './approval.js';

/**
 * A human gate's decision: the one given earlier for this very output (journaled, see below), else
 * the one given to `sop resume` for this gate, else the terminal's answer, else none. Without one
 * the request is recorded and the run halts awaiting approval (the rest of the round finishes
 * first; `sop resume --approve|--reject|--edit` continues it).
 *
 * Every decision is journaled with the output it decided on (`approval-given`): a resumed round
 * runs again from its last clean boundary and meets the outputs decided before (an output
 * rejected, then its revision awaiting approval) before the one awaiting, and each must get its
 * own decision back. The decision given to `sop resume` is for the output that awaits it.
 */
export async function humanDecision(state: RunState, events: EventScope, frame: ActionFrame, request: ApprovalRequest): Promise<ApprovalDecision> {
  const where = frameFields(frame);
  const key = approvalKey(request);
  const outputHash = createHash('sha256').update(request.output).digest('hex');
  const outputKey = `${key}@${outputHash}`;
  const journaled = takeDecision(state.approvals.given, outputKey, `${legacyApprovalKey(request)}@${outputHash}`);
  if (journaled) {
    // Said as who gave it (a script, a person at the terminal), not as given to `sop resume`: that label misled after a crash.
    const { decision, by } = journaled;
    events.emit({ type: 'approval-decided', ...where, gate: request.gate, decision: decision.kind, by, ...decisionFields(decision) });
    return decision;
  }
  const resumed = takeDecision(state.approvals.decisions, key, legacyApprovalKey(request));
  if (resumed) {
    journalDecision(state, request.round, outputKey, resumed, 'resume');
    events.emit({ type: 'approval-decided', ...where, gate: request.gate, decision: resumed.kind, by: 'resume', ...decisionFields(resumed) });
    return resumed;
  }
  events.emit({ type: 'approval-requested', ...where, gate: request.gate, prompt: request.prompt, artifacts: request.artifacts });
  const answered = state.approvals.approver && !state.signal?.aborted ? await askApprover(state, state.approvals.approver, request) : undefined;
  if (answered instanceof SopError) {
    state.approvals.pending.push(pendingApproval(request, state.runtime.secrets.mask));
    throw new RunHalt('awaiting-approval', answered);
  }
  if (answered) {
    const { by = 'terminal', ...decision } = answered;
    journalDecision(state, request.round, outputKey, decision, by);
    events.emit({ type: 'approval-decided', ...where, gate: request.gate, decision: decision.kind, by, ...decisionFields(decision) });
    return decision;
  }
  state.approvals.pending.push(pendingApproval(request, state.runtime.secrets.mask));
  throw new RunHalt('awaiting-approval');
}

/**
 * The approver's decision, or the error it failed with: an `approve` function of the caller that
 * throws or rejects leaves the gate awaiting its decision (the run stays resumable), its message
 * masked like every other error's. A SopError is a decision to fail the run (a strict script
 * without an answer: SCRIPT_MISS) and fails it as is.
 */
async function askApprover(state: RunState, approver: Approver, request: ApprovalRequest): Promise<Awaited<ReturnType<Approver>> | SopError> {
  try {
    return await untilAborted(Promise.resolve(approver(request)), state.signal);
  } catch (error) {
    if (isSopError(error)) throw error;
    const why = state.runtime.secrets.mask(error instanceof Error ? error.message : String(error));
    const where = `role ${request.role}, action ${request.action}${request.index === undefined ? '' : ` #${request.index}`}`;
    // What failed (the caller's function, at which gate), what it should have given, and how the saved run goes on.
    return new SopError('APPROVAL_FAILED', `human gate "${request.gate}" (${where}): the approve function threw instead of giving a decision: ${why}`, {
      hint: `the run is saved, paused at this gate (awaiting_approval): fix what the approve function calls, then continue run ${state.runId} with \`runSop(sop, { inputs, approve, resume: { runDir: result.runDir, ...readResumePoint(result.runDir) } })\` (approve is asked again), or give the decision in \`resume.decision\`: { kind: 'approve' }, { kind: 'reject', feedback } or { kind: 'edit', content }`,
    });
  }
}

/**
 * The approver's answer, or none once the run's signal aborts: the run then stops as interrupted, as
 * the CLI's prompt does on Ctrl-C, instead of waiting on a review nobody may finish (a caller's
 * function cannot see the signal). An answer or failure coming after that is dropped.
 */
function untilAborted<T>(answer: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return answer;
  answer.catch(() => undefined);
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const stop = (): void => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The decision under the key, else under the key a run recorded before 2026-12-06 used; each is used once. */
function takeDecision<T>(decisions: Map<string, T>, key: string, legacyKey: string): T | undefined {
  for (const at of [key, legacyKey]) {
    const decision = decisions.get(at);
    if (decision) {
      decisions.delete(at);
      return decision;
    }
  }
  return undefined;
}

/**
 * A decision, saved with the output it was given for (masked like the response journal: feedback or
 * an edit may quote a key) and who gave it (`by`, beside its `kind`), for a round run again to say so.
 */
function journalDecision(state: RunState, round: number, outputKey: string, decision: ApprovalDecision, by: DecisionBy): void {
  state.approvals.journal?.append({ round, key: outputKey, decision: state.runtime.secrets.maskDeep({ ...decision, by }) });
}

function decisionFields(decision: ApprovalDecision): { feedback?: string } {
  return decision.kind === 'reject' ? { feedback: decision.feedback } : {};
}

/** The default question of a human gate without `prompt`. */
export function defaultApprovalPrompt(gate: ResolvedGate, frame: ActionFrame): string {
  return `Approve the output of action ${frame.action.id} (role ${frame.role.profile})${gate.name.includes('#') ? '' : ` at gate "${gate.name}"`}?`;
}
