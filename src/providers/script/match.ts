/**
 * Which scripted answer serves a call: pure matching and the order in which answers are used.
 * No SOP types and no I/O: the scripted model (and the human gates' approver) describe each call
 * as a `ScriptCall` and ask a `ScriptBook` for its answer (`docs/scripted-model.md`).
 */

import type { Answer } from './script.types.generated.js';

/** The kinds of call a script answers, each with its own answer field. */
export const ANSWER_KINDS = ['output', 'reask', 'judge', 'human', 'choose', 'plan'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** One call, as a script names it. */
export interface ScriptCall {
  kind: AnswerKind;
  role: string;
  /** Absent for `choose` and `plan` (a role's choice, not an action's). */
  action?: string;
  /** `judge` and `human`: the gate's name. */
  gate?: string;
  /** 1-based: which output of the action run (2 after a gate asked for a revision). */
  attempt: number;
  /** foreach: the item's index and key. */
  item?: { index: number; key?: string };
}

/** The one answer field an entry sets (the loader checks there is exactly one). */
export function answerKind(answer: Answer): AnswerKind {
  return ANSWER_KINDS.find((kind) => answer[kind] !== undefined) ?? 'output';
}

function matches(answer: Answer, call: ScriptCall): boolean {
  if (answerKind(answer) !== call.kind || answer.role !== call.role) return false;
  if (answer.action !== undefined && answer.action !== call.action) return false;
  if (answer.gate !== undefined && answer.gate !== call.gate) return false;
  if (typeof answer.attempt === 'number' && answer.attempt !== call.attempt) return false;
  if (answer.item !== undefined) {
    if (!call.item) return false;
    if (typeof answer.item === 'number' ? answer.item !== call.item.index : answer.item !== call.item.key) return false;
  }
  return true;
}

/** How much of the call an answer names beyond role, action and kind: the most specific wins. */
function specificity(answer: Answer): number {
  return (typeof answer.attempt === 'number' ? 1 : 0) + (answer.item !== undefined ? 1 : 0) + (answer.gate !== undefined ? 1 : 0);
}

/**
 * The script's answers and how often each was used. `take` picks, among the matching answers of
 * the highest specificity, the first not used yet, else the last of them: equally specific answers
 * form a sequence, one per call, whose last answer repeats.
 */
export class ScriptBook {
  private readonly used = new Map<Answer, number>();
  /** The actions (`role/action`) some call was asked for, answered or not. */
  private readonly asked = new Set<string>();

  constructor(readonly answers: readonly Answer[]) {}

  take(call: ScriptCall): Answer | undefined {
    if (call.action !== undefined) this.asked.add(actionKey(call.role, call.action));
    let best: Answer[] = [];
    let bestScore = -1;
    for (const answer of this.answers) {
      if (!matches(answer, call)) continue;
      const score = specificity(answer);
      if (score > bestScore) {
        best = [answer];
        bestScore = score;
      } else if (score === bestScore) best.push(answer);
    }
    const chosen = best.find((answer) => !this.used.has(answer)) ?? best[best.length - 1];
    if (chosen) this.used.set(chosen, (this.used.get(chosen) ?? 0) + 1);
    return chosen;
  }

  /**
   * The indexes of answers pinned to a revision (`attempt` 2 or more) that answered no call though
   * their action was asked: it ran, but no gate asked for that revision. An answer for an action
   * that never ran is left alone (a branch not taken; a script may serve several runs).
   */
  unusedRevisions(): number[] {
    return this.answers.flatMap((answer, index) =>
      typeof answer.attempt === 'number' && answer.attempt > 1 && answer.action !== undefined && !this.used.has(answer) && this.asked.has(actionKey(answer.role, answer.action)) ? [index] : [],
    );
  }
}

function actionKey(role: string, action: string): string {
  return `${role}/${action}`;
}

/** The call in words, for a strict miss: `role "pm", action "write_prd", judge gate "testable", attempt 2, item 0 ("main.py")`. */
export function describeCall(call: ScriptCall): string {
  const parts = [`role "${call.role}"`];
  if (call.action !== undefined) parts.push(`action "${call.action}"`);
  const what = { output: 'output', reask: 're-ask', judge: 'judge gate', human: 'human gate', choose: 'react choice', plan: 'plan' }[call.kind];
  parts.push(call.gate === undefined ? what : `${what} "${call.gate}"`);
  if (call.kind !== 'choose' && call.kind !== 'plan') parts.push(`attempt ${call.attempt}`);
  if (call.item) parts.push(`item ${call.item.index}${call.item.key === undefined ? '' : ` (${JSON.stringify(call.item.key)})`}`);
  return parts.join(', ');
}

/** An entry that would answer the call, as one line of YAML to add under `answers:`. */
export function answerToAdd(call: ScriptCall, example: string): string {
  const fields = [`role: ${call.role}`];
  if (call.action !== undefined) fields.push(`action: ${call.action}`);
  if (call.gate !== undefined) fields.push(`gate: ${JSON.stringify(call.gate)}`);
  if (call.kind !== 'choose' && call.kind !== 'plan') fields.push(`attempt: ${call.attempt}`);
  if (call.item) fields.push(`item: ${call.item.key === undefined ? call.item.index : JSON.stringify(call.item.key)}`);
  fields.push(`${call.kind}: ${example}`);
  return `- { ${fields.join(', ')} }`;
}
