import { SopError } from '../errors/index.js';
import type { ChatMessage } from '../providers/chat-model.js';
import { parseOutput } from '../outputs/index.js';
import type { ResolvedGate } from '../spec/resolved.js';
import { revisionOf, scriptHints, type ActionFrame } from './action-frame.js';
import type { EventScope } from './event-recorder.js';
import { callModel } from './llm-call.js';
import type { RunState } from './run-state.js';

/** What a judge must reply. */
export const JUDGE_VERDICT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['score', 'reasons'],
  properties: {
    score: { type: 'number', minimum: 0, maximum: 10, description: '0: fails the rubric entirely; 10: meets it fully' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'What is missing or wrong; or why it passes' },
  },
};

const JUDGE_ATTEMPTS = 2;

const SYSTEM_PROMPT = [
  'You are a strict reviewer on a team following a standard operating procedure.',
  'Score the output below against the rubric, from 0 (fails it entirely) to 10 (meets it fully).',
  'Give short, concrete reasons the author can act on: what is missing or wrong, or why it passes.',
  'Reply with JSON only: {"score": <number 0-10>, "reasons": ["..."]}.',
].join('\n');

export interface JudgeVerdict {
  score: number;
  reasons: string[];
  passed: boolean;
}

/**
 * A judge gate's model call: the rubric, the action's task and the output, answered with
 * `{score, reasons}` (re-asked once when the reply is not that). The judge's model is
 * `judge.model`, else the action's. A second invalid reply fails the action (OUTPUT_INVALID).
 */
export async function judgeOutput(state: RunState, events: EventScope, frame: ActionFrame, gate: ResolvedGate, output: string): Promise<JudgeVerdict> {
  const judge = gate.judge;
  if (!judge) throw new SopError('INTERNAL', `gate ${gate.name} is not a judge gate`);
  const { action, role } = frame;
  const task = action.description ? `${action.description} (action ${action.id} of role ${role.profile})` : `action ${action.id} of role ${role.profile}`;
  const user = [`Rubric: ${judge.rubric}`, `Passing score: ${judge.minScore}`, `Task: ${task}`, 'Output to review:', '<<<', output, '>>>'].join('\n\n');
  const validate = (value: unknown): string[] => state.validators.validate('JudgeVerdict', JUDGE_VERDICT_SCHEMA, value);
  let followUps: ChatMessage[] = [];
  let errors: string[] = [];
  for (let attempt = 1; attempt <= JUDGE_ATTEMPTS; attempt += 1) {
    const response = await callModel(state, events, {
      round: frame.round,
      role: role.id,
      action: action.id,
      ...(frame.index === undefined ? {} : { index: frame.index }),
      refs: [judge.model, action.model, role.model],
      messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: user }, ...followUps],
      offlineHints: { kind: 'judge', role: role.id, action: action.id, gate: gate.name, minScore: judge.minScore },
      scriptHints: scriptHints(frame),
      responseSchema: { name: 'JudgeVerdict', schema: JUDGE_VERDICT_SCHEMA },
      attempt,
      revision: revisionOf(frame),
    });
    const parsed = parseOutput(response.text, 'json', validate);
    if (parsed.ok) {
      const verdict = parsed.payload as { score: number; reasons: string[] };
      return { score: verdict.score, reasons: verdict.reasons, passed: verdict.score >= judge.minScore };
    }
    errors = parsed.errors;
    followUps = [
      { role: 'assistant', content: response.text },
      { role: 'user', content: `That reply is not a valid verdict:\n${errors.map((line) => `- ${line}`).join('\n')}\nReply with JSON only: {"score": <number 0-10>, "reasons": ["..."]}.` },
    ];
  }
  throw new SopError('OUTPUT_INVALID', `role ${role.id}, action ${action.id}: judge gate "${gate.name}" got no valid verdict after ${JUDGE_ATTEMPTS} attempts: ${errors.join('; ')}`, {
    hint: 'use a judge model that follows JSON instructions (judge.model), or another kind of gate',
  });
}

/** The feedback a failed judgement gives the author (and the event log). */
export function judgeFeedback(gate: ResolvedGate, verdict: JudgeVerdict): string {
  const reasons = verdict.reasons.length > 0 ? `\n${verdict.reasons.map((reason) => `- ${reason}`).join('\n')}` : '';
  return `gate "${gate.name}" failed: the judge scored ${verdict.score}/10 (needs ${gate.judge?.minScore ?? 0}) against "${gate.judge?.rubric ?? ''}"${reasons}`;
}
