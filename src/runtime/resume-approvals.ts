import { SopError } from '../errors/index.js';
import { closestMatch } from '../spec/suggest.js';
import type { ApprovalEntry } from '../store/index.js';
import type { Checkpoint } from './checkpoint.js';
import { approvalKey, awaitedName, awaitedOwnNames, type ApprovalDecision, type GivenDecision, type PendingApproval } from './approval.js';

/**
 * The decision `sop resume` was given, for each human gate the run was awaiting that `decisionFor`
 * names (all of them when it names none): when the round runs again, those gates take it instead
 * of asking. The others, and gates reached later, ask anew (a run with no one to ask pauses again).
 */
export function approvalDecisions(checkpoint: Checkpoint | undefined, decision: ApprovalDecision | undefined, decisionFor?: readonly string[]): Map<string, ApprovalDecision> {
  const decisions = new Map<string, ApprovalDecision>();
  if (!checkpoint || !decision) return decisions;
  for (const pending of awaitedFor(checkpoint.awaiting ?? [], decisionFor, 'resume.decisionFor')) decisions.set(approvalKey(pending), decision);
  return decisions;
}

/**
 * The awaited approvals a decision is for: those with each `/`-separated name of one of `names`
 * as their role, action, gate, trigger message or `#N` foreach item (`reviewer`, `approved`,
 * `reviewer/approved`, `m0002`, `write#1`); every one when `names` is absent or empty. A name that matches none is refused
 * (`USAGE`), listing what the run awaits, before anything is decided.
 */
/** `option` is how the caller took the names, for the refusal (`--gate`, `resume.decisionFor`). */
export function awaitedFor(awaiting: readonly PendingApproval[], names: readonly string[] | undefined, option = '--gate'): PendingApproval[] {
  if (names === undefined || names.length === 0) return [...awaiting];
  const chosen = new Set<PendingApproval>();
  for (const name of names) {
    const matching = awaiting.filter((pending) => matches(pending, name));
    if (matching.length === 0) throw noneAwaited(awaiting, name, option);
    for (const pending of matching) chosen.add(pending);
  }
  return awaiting.filter((pending) => chosen.has(pending));
}

function matches(pending: PendingApproval, name: string): boolean {
  const own = awaitedOwnNames(pending);
  return nameParts(name).every((part) => own.includes(part));
}

/** `plan/m0002#1` as `plan`, `m0002`, `#1`. */
function nameParts(name: string): string[] {
  return name.split('/').flatMap((part) => part.split(/(?=#)/));
}

function noneAwaited(awaiting: readonly PendingApproval[], name: string, option: string): SopError {
  if (awaiting.length === 0) return new SopError('USAGE', `${option} ${name}: the run awaits no approval`, { hint: `drop ${option}` });
  const names = awaiting.map((pending) => awaitedName(pending, awaiting));
  const known = awaiting.flatMap(awaitedOwnNames);
  // A typo in one word (`bloger`); known names only do not go together, and `#3` is no typo of `#0`.
  const words = known.filter((own) => !own.startsWith('#'));
  const typo = nameParts(name).find((part) => !known.includes(part) && !part.startsWith('#') && closestMatch(part, words) !== undefined);
  const near = typo === undefined ? undefined : closestMatch(typo, words);
  return new SopError('USAGE', `${option} ${name}: no awaited approval has that role, action, gate, message or item`, {
    hint: `${near === undefined ? '' : `did you mean \`${corrected(name, typo as string, near, awaiting)}\`? `}the run awaits: ${names.join(', ')}`,
  });
}

/**
 * The name given with its misspelt word corrected (`reviewer/lead-aproval` → `reviewer/lead-approval`),
 * the whole name to paste when it then names an awaited approval; else the word alone.
 */
function corrected(name: string, typo: string, near: string, awaiting: readonly PendingApproval[]): string {
  const fixed = name.split('/').map((part) => part.split(/(?=#)/).map((word) => (word === typo ? near : word)).join('')).join('/');
  return fixed !== near && awaiting.some((pending) => matches(pending, fixed)) ? fixed : near;
}

/** Terminal decisions of rounds after the checkpoint: the round runs again and gets them back instead of asking. */
export function givenApprovals(entries: readonly ApprovalEntry[], afterRound: number): Map<string, GivenDecision> {
  const given = new Map<string, GivenDecision>();
  for (const entry of entries) {
    if (entry.round <= afterRound) continue;
    const { by = 'resume', ...decision } = entry.decision;
    given.set(entry.key, { decision, by });
  }
  return given;
}
