/**
 * Answers of a script (`--model script:FILE`) that can serve no call of the SOP: a role, action or
 * gate the SOP does not have. The scripted model matches names as written and sends unmatched calls
 * to the offline model, so a typo (`product_managr`) would otherwise go unnoticed; the run warns
 * before it starts instead (a script may be written for several SOPs, so it is not refused). A
 * `human: { edit }` that breaks the action's output format or schema is named too: the run would
 * fail when the gate applies it. So is a JSON `output` that breaks its message type's schema when
 * no `reask` answer follows it: the run re-asks, and the offline model (or, with `strict`, a miss)
 * answers in its place, so a run or a test case takes a path the script never described. An answer for `sop eval`'s judge (`role: eval, action: judge`,
 * `gate` a rubric's `of`) serves no call of the SOP: only `sop eval` checks it, against its rubrics.
 */

import type { Diagnostic } from '../errors/index.js';
import { answerKind, decisionOf, type Answer, type Script } from '../providers/script/index.js';
import { SchemaValidators } from '../spec/json-schemas.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { closestMatch, didYouMean, listNames } from '../spec/suggest.js';
import { readEdit } from './edited-output.js';

/** Why an answer can serve no call (or breaks its output), and the field that says so. */
type Misfit = Omit<AnswerMisfit, 'index'>;

/** What `sop eval` tells of the calls its judge makes: the `of` of each rubric this script judges. */
export interface EvalJudging {
  rubrics: readonly string[];
}

/** An answer that can serve no call of the SOP (or breaks its output): its index in the script, the field that says so, and why. */
export interface AnswerMisfit {
  index: number;
  /** The answer's field the warning is about: `role`, `action`, `gate`, `item`, `human/edit`, ... */
  field: string;
  why: string;
}

/**
 * Each answer that matches no call of `sop`, or edits its output into an invalid one, as the
 * warning `sop validate` and `sop test` give of a test file's answers (`answerMisfitWarning`), at
 * the field that names what the SOP lacks: `sop run`, `sop resume`, `sop prompts` and `sop eval` say
 * them of a `script:FILE` model before the run. `evalJudging` (`sop eval`): the rubrics its judge
 * answers may name; without it they are left alone (they are for an eval).
 */
export function scriptMisfitWarnings(script: Script, sop: ResolvedSop, options: { evalJudging?: EvalJudging } = {}): Diagnostic[] {
  return answerMisfits(script, sop, options).map(({ index, field, why }) => {
    const place = script.places?.[index];
    // A script read from no file of its own has no positions: the answer is named by its number.
    if (place === undefined) return answerMisfitWarning(`answer ${index + 1}: ${why}`, { file: script.file });
    return answerMisfitWarning(why, { file: script.file, ...(place.fields[field] ?? place.at) });
  });
}

/** An answer that can serve no call (or breaks its output), as a warning at `at`: one code and wording for a script file's answers and a test file's. */
export function answerMisfitWarning(why: string, at: { file: string; line?: number; column?: number }): Diagnostic {
  return { code: 'ANSWER_MISFIT', severity: 'warning', message: why, ...at };
}

/**
 * The answers of `script` that match no call of `sop`, or edit its output into an invalid one, each
 * with the field that names what the SOP lacks: `scriptMisfitWarnings` says them of a script file,
 * `sop test` and `sop validate` of a test file's cases (whose answers come from several places).
 */
export function answerMisfits(script: Script, sop: ResolvedSop, options: { evalJudging?: EvalJudging } = {}): AnswerMisfit[] {
  const validators = new SchemaValidators();
  return script.answers.flatMap((answer, index) => {
    const noCall = answersEvalJudge(answer, sop) ? whyNoRubric(answer, options.evalJudging) : whyNoCall(answer, sop);
    const misfit = noCall === undefined ? (badEdit(answer, sop, validators) ?? badOutput(answer, script, sop, validators) ?? unofferedTool(answer, sop)) : { field: noCall.field, why: `this answer can serve no call: ${noCall.why}` };
    return misfit === undefined ? [] : [{ index, ...misfit }];
  });
}

/**
 * One line naming the revision answers (`attempt` 2 or more) a run never used although their action
 * ran (`ScriptedModel.unusedRevisions`): each at its `attempt:` field. The gate passed the attempt
 * before, or the run ended first, so the revision the script describes did not happen.
 */
export function unusedRevisionsWarning(script: Script, indexes: readonly number[]): string | undefined {
  if (indexes.length === 0) return undefined;
  const named = indexes.map((index) => {
    const answer = script.answers[index] as Answer;
    const gate = answer.gate === undefined ? '' : `, gate "${answer.gate}"`;
    const item = answer.item === undefined ? '' : `, item ${JSON.stringify(answer.item)}`;
    const where = placeInScript(script, index, 'attempt') ?? `${script.file} answer ${index + 1}`;
    return `${where} (role "${answer.role}", action "${answer.action}"${gate}, ${answerKind(answer)}, attempt ${String(answer.attempt)}${item})`;
  });
  const one = indexes.length === 1;
  return `script ${script.file}: ${one ? 'an answer' : `${indexes.length} answers`} for a revision answered no call: ${named.join('; ')}: ${one ? 'its' : 'their'} action ran, but no gate asked for that attempt (it passed before, or the run ended first)`;
}

/**
 * Of the revision answers at `indexes`, those whose attempt the run's model calls (`events`, the
 * run's journal) never reached. A resumed process answers its interrupted round's calls from the
 * journal, without asking the script, and does not run the rounds before: its script counted the
 * revisions made there unused, and a resume warned of answers that had served the run. Output and
 * judge answers are checked against the calls (a call's `revision` + 1 is a script's `attempt`);
 * others are kept as they are.
 */
export function revisionsNotReached(script: Script, indexes: readonly number[], events: Iterable<Record<string, unknown>>): number[] {
  const reached = new Set<string>();
  for (const event of events) {
    if (event['type'] === 'llm-call-end') reached.add(`${String(event['role'])}/${String(event['action'])}/${String(event['purpose'])}/${Number(event['revision'] ?? 0) + 1}`);
  }
  return indexes.filter((index) => {
    const answer = script.answers[index] as Answer;
    const kind = answerKind(answer);
    const purpose = kind === 'judge' ? 'judge' : kind === 'output' || kind === 'reask' ? 'action' : undefined;
    return purpose === undefined || !reached.has(`${answer.role}/${String(answer.action)}/${purpose}/${String(answer.attempt)}`);
  });
}

/** `FILE:LINE:COL` of an answer's field in its script file (the entry's when the field is not written there). */
function placeInScript(script: Script, index: number, field: string): string | undefined {
  const place = script.places?.[index];
  if (place === undefined) return undefined;
  const { line, column } = place.fields[field] ?? place.at;
  return `${script.file}:${line}:${column}`;
}

/** `role: eval, action: judge` with a `judge` verdict, in an SOP without a role `eval`: an answer for `sop eval`'s judge. */
function answersEvalJudge(answer: Answer, sop: ResolvedSop): boolean {
  return answer.role === EVAL_JUDGE.role && answer.action === EVAL_JUDGE.action && answer.judge !== undefined && !sop.roles.some((role) => role.id === EVAL_JUDGE.role);
}

/** How `sop eval`'s judge names its calls to a script (src/eval/judge.ts): the rubric's `of` is the `gate`. */
export const EVAL_JUDGE = { role: 'eval', action: 'judge' } as const;

function whyNoRubric(answer: Answer, judging: EvalJudging | undefined): Misfit | undefined {
  if (judging === undefined) return undefined;
  const rubrics = [...new Set(judging.rubrics)];
  if (rubrics.length === 0) return { field: 'judge', why: 'this script judges no rubric of the dataset (no case has a `judge` rubric, or the judge is another model: `judge_model`, `--judge-model`)' };
  if (answer.gate === undefined || rubrics.includes(answer.gate)) return undefined;
  const suggestion = didYouMean(answer.gate, rubrics);
  return { field: 'gate', why: `no judge rubric of the dataset is \`of: ${answer.gate}\` (${suggestion ?? `they judge: ${rubrics.map((of) => `\`${of}\``).join(', ')}`})` };
}

function whyNoCall(answer: Answer, sop: ResolvedSop): Misfit | undefined {
  const role = sop.roles.find((candidate) => candidate.id === answer.role);
  if (!role) return { field: 'role', why: missing(`role \`${answer.role}\``, answer.role, sop.roles.map((candidate) => candidate.id)) };
  if (answer.choose !== undefined && role.react.mode !== 'react') return { field: 'choose', why: `role \`${role.id}\` chooses no action (its react mode is ${role.react.mode}, not react)` };
  if (answer.plan !== undefined && role.react.mode !== 'plan_and_act') return { field: 'plan', why: `role \`${role.id}\` makes no plan (its react mode is ${role.react.mode}, not plan_and_act)` };
  if (answer.action === undefined) return undefined;
  const action = role.actions.find((candidate) => candidate.id === answer.action);
  if (!action) return { field: 'action', why: missing(`action \`${answer.action}\` of role \`${role.id}\``, answer.action, role.actions.map((candidate) => candidate.id)) };
  if (answer.item !== undefined && !action.foreach) return { field: 'item', why: `action \`${action.id}\` has no items (no \`foreach\`), so no call has an \`item\`` };
  const kind = answer.judge !== undefined ? 'judge' : answer.human !== undefined ? 'human' : undefined;
  if (kind === undefined) return undefined;
  const gates = action.gates.filter((gate) => gate.kind === kind).map((gate) => gate.name);
  if (answer.gate === undefined) return gates.length === 0 ? { field: kind, why: `the SOP has no ${kind} gate on action \`${action.id}\`` } : undefined;
  return gates.includes(answer.gate) ? undefined : { field: 'gate', why: missing(`${kind} gate \`${answer.gate}\` on action \`${action.id}\``, answer.gate, gates) };
}

function badEdit(answer: Answer, sop: ResolvedSop, validators: SchemaValidators): Misfit | undefined {
  const decision = answer.human === undefined ? undefined : decisionOf(answer.human);
  if (decision?.kind !== 'edit') return undefined;
  const action = sop.roles.find((role) => role.id === answer.role)?.actions.find((candidate) => candidate.id === answer.action);
  if (!action) return undefined;
  const read = readEdit(sop, validators, action.output, decision.content);
  return read.ok ? undefined : { field: 'human/edit', why: `this edit is not a valid ${action.output.type} (the run would fail when the gate applies it): ${read.errors.join('; ')}` };
}

/**
 * A JSON `output` (written as YAML, not as text: text goes through the repairs a model's reply gets)
 * that its message type's schema refuses, with no `reask` answer for the action: a typo in an enum
 * value (`priority: urgent` where the schema says low, medium, high) would otherwise show only as an
 * unscripted re-ask. The warning is at the first field the schema names, when the answer writes it.
 */
function badOutput(answer: Answer, script: Script, sop: ResolvedSop, validators: SchemaValidators): Misfit | undefined {
  if (answer.output === undefined || typeof answer.output === 'string' || answer.action === undefined) return undefined;
  const action = sop.roles.find((role) => role.id === answer.role)?.actions.find((candidate) => candidate.id === answer.action);
  if (action?.output.format !== 'json') return undefined;
  if (script.answers.some((other) => other.reask !== undefined && other.role === answer.role && other.action === answer.action)) return undefined;
  const read = readEdit(sop, validators, action.output, JSON.stringify(answer.output));
  if (read.ok) return undefined;
  const named = /^\/([^/:]+)/.exec(read.errors[0] ?? '')?.[1];
  const field = named !== undefined && typeof answer.output === 'object' && answer.output !== null && Object.hasOwn(answer.output, named) ? named : undefined;
  const then = script.strict ? 'the run fails there (SCRIPT_MISS: `strict: true` and no `reask` answer)' : 'the offline model answers that (no `reask` answer is scripted)';
  return {
    field: field === undefined ? 'output' : `output/${field}`,
    why: `this output is not a valid ${action.output.type}: ${read.errors.join('; ')}; the run asks again, and ${then}: correct the output, or script a \`reask\` answer if the re-ask is what this tests`,
  };
}

/**
 * A tool call naming a tool its action does not offer (`notse.search` where it offers `notes.*`):
 * the run answers it as a model's call to an unknown tool, so the step the script describes never
 * happens. Said at the call's `tool`, with the nearest offered name, the server's name corrected for an MCP tool.
 */
function unofferedTool(answer: Answer, sop: ResolvedSop): Misfit | undefined {
  const action = sop.roles.find((role) => role.id === answer.role)?.actions.find((candidate) => candidate.id === answer.action);
  if (!action || !answer.tools) return undefined;
  const offered = (name: string): boolean => {
    if (action.tools.includes(name)) return true;
    const dot = name.indexOf('.');
    if (dot <= 0 || !action.tools.includes(`${name.slice(0, dot)}.*`)) return false;
    const allowed = sop.mcpServers[name.slice(0, dot)]?.allowedTools;
    return allowed === undefined || allowed.includes(name.slice(dot + 1));
  };
  const at = answer.tools.findIndex((candidate) => !offered(candidate.tool));
  const call = answer.tools[at];
  if (!call) return undefined;
  const dot = call.tool.indexOf('.');
  const servers = action.tools.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  const server = dot > 0 && !servers.includes(call.tool.slice(0, dot)) ? closestMatch(call.tool.slice(0, dot), servers) : undefined;
  const suggestion = server !== undefined ? `did you mean \`${server}${call.tool.slice(dot)}\`?` : didYouMean(call.tool, action.tools);
  const known = action.tools.length === 0 ? 'none' : listNames(action.tools.map((name) => `\`${name}\``));
  // At the call's own `tool`, not the list: the tenth call of a script is not found by its first.
  return { field: `tools/${at}/tool`, why: `this answer calls tool \`${call.tool}\`, which action \`${action.id}\` does not offer (${suggestion ?? `it offers: ${known}`}): the run answers the call as one to an unknown tool` };
}

function missing(what: string, name: string, candidates: string[]): string {
  const suggestion = didYouMean(name, candidates);
  const known = candidates.length === 0 ? 'none' : listNames(candidates.map((candidate) => `\`${candidate}\``));
  return `the SOP has no ${what} (${suggestion ?? `it has: ${known}`})`;
}
