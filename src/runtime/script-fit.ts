/**
 * Answers of a script (`--model script:FILE`) that can serve no call of the SOP: a role, action or
 * gate the SOP does not have. The scripted model matches names as written and sends unmatched calls
 * to the offline model, so a typo (`product_managr`) would otherwise go unnoticed; the run warns
 * before it starts instead (a script may be written for several SOPs, so it is not refused). A
 * `human: { edit }` that breaks the action's output format or schema is named too: the run would
 * fail when the gate applies it.
 */

import { decisionOf, type Answer, type Script } from '../providers/script/index.js';
import { SchemaValidators } from '../spec/json-schemas.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { didYouMean } from '../spec/suggest.js';
import { readEdit } from './edited-output.js';

/**
 * One line per answer that matches no call of `sop`, or edits its output into an invalid one:
 * `FILE:LINE:COL: why`. `locate` names where an answer is written when the script's own places do
 * not (a `sop test` case's answers come from several places of the test file and a script file).
 */
export function answersThatMissTheSop(script: Script, sop: ResolvedSop, locate: (index: number) => string | undefined = (index) => placeInScript(script, index)): string[] {
  const validators = new SchemaValidators();
  return script.answers.flatMap((answer, index) => {
    const noCall = whyNoCall(answer, sop);
    const why = noCall === undefined ? badEdit(answer, sop, validators) : `this answer can serve no call: ${noCall}`;
    if (why === undefined) return [];
    return [`${locate(index) ?? `${script.file} answer ${index + 1}`}: ${why}`];
  });
}

function placeInScript(script: Script, index: number): string | undefined {
  const place = script.places?.[index];
  return place === undefined ? undefined : `${script.file}:${place}`;
}

function whyNoCall(answer: Answer, sop: ResolvedSop): string | undefined {
  const role = sop.roles.find((candidate) => candidate.id === answer.role);
  if (!role) return missing(`role \`${answer.role}\``, answer.role, sop.roles.map((candidate) => candidate.id));
  if (answer.choose !== undefined && role.react.mode !== 'react') return `role \`${role.id}\` chooses no action (its react mode is ${role.react.mode}, not react)`;
  if (answer.plan !== undefined && role.react.mode !== 'plan_and_act') return `role \`${role.id}\` makes no plan (its react mode is ${role.react.mode}, not plan_and_act)`;
  if (answer.action === undefined) return undefined;
  const action = role.actions.find((candidate) => candidate.id === answer.action);
  if (!action) return missing(`action \`${answer.action}\` of role \`${role.id}\``, answer.action, role.actions.map((candidate) => candidate.id));
  if (answer.item !== undefined && !action.foreach) return `action \`${action.id}\` has no items (no \`foreach\`), so no call has an \`item\``;
  const kind = answer.judge !== undefined ? 'judge' : answer.human !== undefined ? 'human' : undefined;
  if (kind === undefined) return undefined;
  const gates = action.gates.filter((gate) => gate.kind === kind).map((gate) => gate.name);
  if (answer.gate === undefined) return gates.length === 0 ? `the SOP has no ${kind} gate on action \`${action.id}\`` : undefined;
  return gates.includes(answer.gate) ? undefined : missing(`${kind} gate \`${answer.gate}\` on action \`${action.id}\``, answer.gate, gates);
}

function badEdit(answer: Answer, sop: ResolvedSop, validators: SchemaValidators): string | undefined {
  const decision = answer.human === undefined ? undefined : decisionOf(answer.human);
  if (decision?.kind !== 'edit') return undefined;
  const action = sop.roles.find((role) => role.id === answer.role)?.actions.find((candidate) => candidate.id === answer.action);
  if (!action) return undefined;
  const read = readEdit(sop, validators, action.output, decision.content);
  return read.ok ? undefined : `this edit is not a valid ${action.output.type} (the run would fail when the gate applies it): ${read.errors.join('; ')}`;
}

function missing(what: string, name: string, candidates: string[]): string {
  const suggestion = didYouMean(name, candidates);
  const known = candidates.length === 0 ? 'none' : candidates.map((candidate) => `\`${candidate}\``).join(', ');
  return `the SOP has no ${what} (${suggestion ?? `it has: ${known}`})`;
}
