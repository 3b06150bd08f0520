/** Human gate requests and decisions: plain data and pure functions (the gate itself is human-gate.ts). */

import type { Redactor } from '../providers/redact.js';

/** What a reviewer is asked to decide on. */
export interface ApprovalRequest {
  gate: string;
  /** What the reviewer is asked (`human.prompt`, rendered). */
  prompt: string;
  round: number;
  role: string;
  action: string;
  /** Id of the message that triggered the action run: two messages of a round run the action twice, each run awaiting its own decision (absent in records before 2026-12-06). */
  message?: string;
  index?: number;
  outputType: string;
  format: 'text' | 'markdown' | 'json' | 'code';
  /** The output under review. */
  output: string;
  /** Workspace files written from it, to review in place. */
  artifacts: string[];
  /** 1-based: which output of the action run (a scripted decision may name it); not recorded. */
  attempt?: number;
  /** foreach: the item's key (a scripted decision may name it); not recorded. */
  itemKey?: string;
}

/** A request as recorded in the journal's run-closed line and `report.json` while the run waits. */
export type PendingApproval = Omit<ApprovalRequest, 'output' | 'attempt' | 'itemKey'> & {
  /** The output's first characters (the whole output is in the event log and the artifacts). */
  excerpt: string;
};

export type ApprovalDecision = { kind: 'approve' } | { kind: 'reject'; feedback: string } | { kind: 'edit'; content: string };

/** Who gave a decision, as `approval-decided` events say it. */
export type DecisionBy = 'terminal' | 'script' | 'resume';

/** A decision an interrupted attempt journaled, and who gave it (`sop resume` for one journaled before `by` was). */
export interface GivenDecision {
  decision: ApprovalDecision;
  by: DecisionBy;
}

/** Who decided on the spot: a person at the terminal (the default), or a script (`--model script:FILE`). */
type DecisionSource = 'terminal' | 'script';

/** Asks a person (the CLI's terminal prompt) or a script; undefined when none gave a decision (end of input). */
export type Approver = (request: ApprovalRequest) => Promise<(ApprovalDecision & { by?: DecisionSource }) | undefined>;

const EXCERPT_CHARS = 2000;

/**
 * The key matching a pending approval to the same gate of the same action run (trigger message,
 * foreach item) when its round runs again. A request recorded without its message (before
 * 2026-12-06) has the key it was recorded with: `legacyApprovalKey`.
 */
export function approvalKey(request: Pick<ApprovalRequest, 'gate' | 'action' | 'index' | 'message'>): string {
  const key = legacyApprovalKey(request);
  return request.message === undefined ? key : `${key}/${request.message}`;
}

/** The key of records written before the trigger message was part of it: two runs of an action in one round shared it. */
export function legacyApprovalKey(request: Pick<ApprovalRequest, 'gate' | 'action' | 'index'>): string {
  return `${request.action}/${request.gate}#${request.index ?? ''}`;
}

export function pendingApproval(request: ApprovalRequest, mask: Redactor): PendingApproval {
  const { output: unmasked, attempt: _attempt, itemKey: _itemKey, ...rest } = request;
  // Masked before the cut: a secret the cut went through would keep its first characters.
  const output = mask(unmasked);
  return { ...rest, excerpt: output.length > EXCERPT_CHARS ? `${output.slice(0, EXCERPT_CHARS)}...` : output };
}

/**
 * Whether an awaited approval's trigger message must be named to tell it apart: another approval
 * at the same `place` (what is named of it already) came of another message. One rule for the two
 * namings of an awaited approval, which name different places: `awaitedName` (what `--gate` takes,
 * role and gate) and the pause lines (`awaitedApprovals` in reporting: role, action, gate and item).
 * Returns the test for one approval of `awaiting`, so a report of many builds the places once.
 */
export function messageTellsApart(awaiting: readonly PendingApproval[], place: (pending: PendingApproval) => string): (pending: PendingApproval) => boolean {
  const messages = new Map<string, Set<string | undefined>>();
  for (const pending of awaiting) {
    const key = place(pending);
    const seen = messages.get(key) ?? new Set();
    messages.set(key, seen.add(pending.message));
  }
  // Its own message is among those at its place: more than one is another.
  return (pending) => pending.message !== undefined && (messages.get(place(pending))?.size ?? 0) > 1;
}

/** `reviewer/approved`: an awaited approval's role and gate (a role id has no `/`), the start of its `--gate` name. */
const roleGate = (pending: PendingApproval): string => `${pending.role}/${pending.gate}`;

/**
 * How `--gate` names one awaited approval alone: its role and gate, then its trigger message when
 * the role's gate awaits outputs of two messages, its action when two actions of the role (one gate
 * name) took the same message, and `#N`, its foreach item, when still not alone.
 */
export function awaitedName(pending: PendingApproval, awaiting: readonly PendingApproval[]): string {
  let name = roleGate(pending);
  let twins = awaiting.filter((other) => roleGate(other) === name);
  if (messageTellsApart(twins, roleGate)(pending)) {
    name += `/${pending.message}`;
    twins = twins.filter((other) => other.message === pending.message);
  }
  if (twins.some((other) => other.action !== pending.action)) {
    name += `/${pending.action}`;
    twins = twins.filter((other) => other.action === pending.action);
  }
  return twins.length > 1 && pending.index !== undefined ? `${name}#${pending.index}` : name;
}

/** The names a `--gate` part may give of an awaited approval: its role, action, gate, trigger message and `#N` foreach item. */
export function awaitedOwnNames(pending: PendingApproval): string[] {
  const names = [pending.role, pending.action, pending.gate];
  if (pending.message !== undefined) names.push(pending.message);
  if (pending.index !== undefined) names.push(`#${pending.index}`);
  return names;
}
