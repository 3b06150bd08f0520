/**
 * Answers of a script (`--model script:FILE`) that can serve no call of the SOP: a role, action or
 * gate the SOP does not have. The scripted model matches names as written and sends unmatched calls
 * to the offline model, so a typo (`product_managr`) would otherwise go unnoticed; the run warns
 * before it starts instead (a script may be written for several SOPs, so it is not refused).
 */

import type { Answer, Script } from '../providers/script/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { didYouMean } from '../spec/suggest.js';

/** One line per answer that matches no call of `sop`: `FILE:LINE:COL: answer ... : why`. */
export function answersOutsideSop(script: Script, sop: ResolvedSop): string[] {
  return script.answers.flatMap((answer, index) => {
    const why = whyNoCall(answer, sop);
    if (why === undefined) return [];
    const place = script.places?.[index];
    const where = place === undefined ? `${script.file} answer ${index + 1}` : `${script.file}:${place}`;
    return [`${where}: this answer can serve no call: ${why}`];
  });
}

function whyNoCall(answer: Answer, sop: ResolvedSop): string | undefined {
  const role = sop.roles.find((candidate) => candidate.id === answer.role);
  if (!role) return missing(`role \`${answer.role}\``, answer.role, sop.roles.map((candidate) => candidate.id));
  if (answer.action === undefined) return undefined;
  const action = role.actions.find((candidate) => candidate.id === answer.action);
  if (!action) return missing(`action \`${answer.action}\` of role \`${role.id}\``, answer.action, role.actions.map((candidate) => candidate.id));
  const kind = answer.judge !== undefined ? 'judge' : answer.human !== undefined ? 'human' : undefined;
  if (kind === undefined) return undefined;
  const gates = action.gates.filter((gate) => gate.kind === kind).map((gate) => gate.name);
  if (answer.gate === undefined) return gates.length === 0 ? `the SOP has no ${kind} gate on action \`${action.id}\`` : undefined;
  return gates.includes(answer.gate) ? undefined : missing(`${kind} gate \`${answer.gate}\` on action \`${action.id}\``, answer.gate, gates);
}

function missing(what: string, name: string, candidates: string[]): string {
  const suggestion = didYouMean(name, candidates);
  const known = candidates.length === 0 ? 'none' : candidates.map((candidate) => `\`${candidate}\``).join(', ');
  return `the SOP has no ${what} (${suggestion ?? `it has: ${known}`})`;
}
