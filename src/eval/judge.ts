/**
 * A dataset's `judge` rubrics: a model scores what a finished run produced (a workspace file or
 * the last message of a type) against a rubric, 0-10, as a judge gate does (same prompt shape and
 * verdict schema, so any model that serves judge gates serves these).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseOutput } from '../outputs/index.js';
import type { ChatMessage, ChatResponse } from '../providers/chat-model.js';
import { usdFor } from '../providers/cost/estimate.js';
import { isOfflineVerdict } from '../providers/offline/index.js';
import { isOffline, type ResolvedModel } from '../runtime/models.js';
import { JUDGE_VERDICT_SCHEMA } from '../runtime/judge-gate.js';
import { EVAL_JUDGE } from '../runtime/script-fit.js';
import { listNames } from '../spec/suggest.js';
import { undecidedDraft } from '../testing/drafts.js';
import type { ObservedRun } from '../testing/observed-run.js';
import { writtenInstead, type Expectations } from '../testing/expectations.js';
import type { JudgeRubric } from './dataset.js';
import { NOT_GRADED_OFFLINE, type JudgeScore } from './results.js';

const SYSTEM_PROMPT = [
  'You are a strict reviewer of the work of a team following a standard operating procedure.',
  'Score the output below against the rubric, from 0 (fails it entirely) to 10 (meets it fully).',
  'Give short, concrete reasons: what is missing or wrong, or why it passes.',
  'Reply with JSON only: {"score": <number 0-10>, "reasons": ["..."]}.',
].join('\n');

/** A verdict not given in this many replies fails the rubric. */
const ATTEMPTS = 2;

/** Larger outputs are cut to this many characters before they are judged. */
const MAX_JUDGED_CHARS = 100_000;

export interface ScoredRubric {
  score: JudgeScore;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  cachedCalls: number;
}

/** `of` names a workspace file (it has a `/` or a `.`), else a message type. */
export function judgesAFile(of: string): boolean {
  return of.includes('/') || of.includes('.');
}

/**
 * What `of` names in the run: a workspace file when it has a `/` or a `.`, else the last message
 * of that type (its text). Undefined when the run has no such thing.
 */
function judgedText(run: ObservedRun, of: string): string | undefined {
  if (judgesAFile(of)) {
    const file = path.resolve(run.workspace, of);
    if (!file.startsWith(path.resolve(run.workspace) + path.sep)) return undefined;
    try {
      return readFileSync(file, 'utf8').slice(0, MAX_JUDGED_CHARS);
    } catch {
      return undefined;
    }
  }
  const message = run.messages.filter((candidate) => candidate.type === of).at(-1);
  if (!message) return undefined;
  return message.content.slice(0, MAX_JUDGED_CHARS);
}

/**
 * Scores one rubric with `judge`, told the run's inputs (what was asked); a missing output, a draft
 * no gate accepted (unless the case's `expect` says the run pauses for approval) or no valid verdict
 * fails it (score null).
 */
export async function scoreRubric(run: ObservedRun, rubric: JudgeRubric, inputs: Record<string, unknown>, judge: ResolvedModel, signal?: AbortSignal, expect: Expectations = {}): Promise<ScoredRubric> {
  const spent: Omit<ScoredRubric, 'score'> = { costUsd: 0, inputTokens: 0, outputTokens: 0, calls: 0, cachedCalls: 0 };
  const base = { of: rubric.of, rubric: rubric.rubric, minScore: rubric.minScore };
  const draft = judgesAFile(rubric.of) ? undecidedDraft(run, rubric.of, expect) : undefined;
  if (draft !== undefined) return { ...spent, score: { ...base, score: null, passed: false, reasons: [`not judged: ${rubric.of} ${draft}`] } };
  const text = judgedText(run, rubric.of);
  if (text === undefined) {
    const what = judgesAFile(rubric.of) ? `no file ${rubric.of} in the workspace${writtenInstead(rubric.of, run.written)}` : `no ${rubric.of} message was published${awaitedOutput(run, rubric.of)}`;
    return { ...spent, score: { ...base, score: null, passed: false, reasons: [`nothing to judge: ${what}`] } };
  }
  const user = [`Rubric: ${rubric.rubric}`, `Passing score: ${rubric.minScore}`, `The run's inputs: ${JSON.stringify(inputs)}`, `Output to review (${rubric.of}):`, '<<<', text, '>>>'].join('\n\n');
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: user }];
  let problems: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const response = await judge.model.complete({
      messages,
      model: judge.modelName,
      ...(judge.temperature === undefined ? {} : { temperature: judge.temperature }),
      responseSchema: { name: 'JudgeVerdict', schema: JUDGE_VERDICT_SCHEMA },
      // A script answers it as `role: eval, action: judge, gate: <of>` (docs/eval.md).
      providerOptions: { offline: { kind: 'judge', ...EVAL_JUDGE, gate: rubric.of, minScore: rubric.minScore } },
      label: `eval judge of ${rubric.of}`,
      ...(signal ? { signal } : {}),
    });
    addSpending(spent, response, judge);
    const parsed = parseOutput(response.text, 'json', verdictProblems);
    if (parsed.ok) {
      const verdict = parsed.payload as { score: number; reasons: string[] };
      // The offline model (or a script falling back to it) passes every rubric unread: kept a pass, marked no grade.
      const ungraded = isOffline(judge) || isOfflineVerdict(verdict) ? { notGraded: NOT_GRADED_OFFLINE } : {};
      return { ...spent, score: { ...base, score: verdict.score, passed: verdict.score >= rubric.minScore, reasons: verdict.reasons, ...ungraded } };
    }
    problems = parsed.errors;
    messages.push({ role: 'assistant', content: response.text }, { role: 'user', content: `That reply is not a valid verdict: ${problems.join('; ')}. Reply with JSON only: {"score": <number 0-10>, "reasons": ["..."]}.` });
  }
  return { ...spent, score: { ...base, score: null, passed: false, reasons: [`the judge ${judge.key} gave no valid verdict: ${problems.join('; ')}`] } };
}

function verdictProblems(value: unknown): string[] {
  const verdict = value as { score?: unknown; reasons?: unknown } | null;
  const problems: string[] = [];
  if (typeof verdict?.score !== 'number' || verdict.score < 0 || verdict.score > 10) problems.push('`score` must be a number from 0 to 10');
  if (!Array.isArray(verdict?.reasons) || !verdict.reasons.every((reason) => typeof reason === 'string')) problems.push('`reasons` must be a list of strings');
  return problems;
}

/**
 * Why no message of `type` was published when its output awaits a decision at a human gate: which
 * gate and action, and the file to judge instead (the draft), as the other awaiting messages say.
 */
function awaitedOutput(run: Pick<ObservedRun, 'awaiting'>, type: string): string {
  const awaited = (run.awaiting ?? []).filter((pending) => pending.outputType === type);
  const first = awaited[0];
  if (first === undefined) return '';
  const gates = listNames(awaited.map((pending) => `${pending.gate} (${pending.role} ${pending.action})`));
  const file = first.artifacts?.[0];
  const instead = file === undefined ? '' : `: judge its file, \`of: ${file}\`, with \`status: awaiting_approval\` expected, to review the draft`;
  return ` (its output awaits approval at human gate ${gates}${instead})`;
}

function addSpending(spent: Omit<ScoredRubric, 'score'>, response: ChatResponse, judge: ResolvedModel): void {
  spent.calls += 1;
  spent.inputTokens += response.usage.promptTokens;
  spent.outputTokens += response.usage.completionTokens;
  if (response.cached) {
    spent.cachedCalls += 1;
    return;
  }
  spent.costUsd += response.costUsd ?? (judge.price ? usdFor(judge.price, response.usage.promptTokens, response.usage.completionTokens) : 0);
}
