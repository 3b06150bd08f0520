import { isSopError } from '../errors/index.js';
import { EACH, expressionExcerpt } from '../expressions/index.js';
import type { ExpressionText, ResolvedCommand, ResolvedGate } from '../spec/resolved.js';
import { frameFields, type ActionFrame } from './action-frame.js';
import { executeCommand } from './command-step.js';
import { readEditedOutput } from './edited-output.js';
import type { EventScope } from './event-recorder.js';
import { countGateCheck } from './gate-stats.js';
import { defaultApprovalPrompt, humanDecision } from './human-gate.js';
import { judgeFeedback, judgeOutput } from './judge-gate.js';
import { expressionReads, lackingText, missingField, pathText, templateReads, type MissingField } from './missing-field.js';
import type { RunState } from './run-state.js';

/** What a failed gate asks for. */
export interface FailPolicy {
  /** Re-runs of the action with the gate's feedback before giving up. */
  revise: number;
  /** After revisions: publish this type with the feedback instead (to `to`, an escalation), stop the run, or publish the output anyway. */
  then: { route: string; to: string | undefined; escalated: boolean } | 'stop' | 'warn';
}

export type GateVerdict =
  | { passed: true }
  | { passed: false; gate: string; policy: FailPolicy; feedback: string }
  /** A reviewer edited the output: it replaces the output and the gates run again on it. */
  | { passed: 'edited'; gate: string; output: { content: string; payload: unknown } };

/** The output under check, as gates see it. */
export interface GateSubject {
  content: string;
  /** Workspace paths written from it. */
  artifacts: string[];
  /** Human gates already approved for this output (through an edit). */
  approved: ReadonlySet<string>;
}

/** `on_fail` as a policy. Absent means stop: a gate nobody handles must not be ignored. */
export function failPolicy(gate: ResolvedGate): FailPolicy | 'warn' {
  const onFail = gate.onFail;
  if (onFail === 'warn') return 'warn';
  if (onFail === undefined || onFail === 'stop') return { revise: 0, then: 'stop' };
  const then = onFail.then;
  if (onFail.route !== undefined) return { revise: onFail.revise ?? 0, then: { route: onFail.route, to: undefined, escalated: false } };
  if (typeof then === 'object') return { revise: onFail.revise ?? 0, then: { route: then.route, to: then.to, escalated: true } };
  return { revise: onFail.revise ?? 0, then: then ?? 'stop' };
}

/**
 * Checks an action's gates in order. A failing `warn` gate is recorded and checking goes on; the
 * first other failing gate decides. A human gate switched off by `enabled` is skipped.
 */
export async function checkGates(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  subject: GateSubject,
  templateContext: Record<string, unknown>,
  expressionContext: Record<string, unknown>,
  attempt: number,
): Promise<GateVerdict> {
  const where = frameFields(frame);
  for (const gate of frame.action.gates) {
    const applies = gate.if ? outputCondition(state, frame, gate.if, expressionContext, 'if') : true;
    if (applies === false) continue;
    if (gate.kind === 'human' && (subject.approved.has(gate.name) || !humanGateOn(state, gate))) continue;
    // An output that cannot tell whether the gate applies fails it: leaving a field out must not skip a check.
    const check = applies === true ? await runGate(state, events, frame, gate, subject, templateContext, expressionContext) : { feedback: missingFeedback(gate, applies) };
    if (check.edited !== undefined) {
      // Read before the gate counts as passed: an edit that breaks the contract fails the run here.
      const output = readEditedOutput(state, frame, check.edited);
      countGateCheck(state.gateStats, frame.action.id, gate, true);
      events.emit({ type: 'gate-passed', ...where, gate: gate.name, kind: gate.kind, edited: true });
      return { passed: 'edited', gate: gate.name, output };
    }
    countGateCheck(state.gateStats, frame.action.id, gate, check.feedback === undefined);
    const score = check.score === undefined ? {} : { score: check.score };
    if (check.feedback === undefined) {
      events.emit({ type: 'gate-passed', ...where, gate: gate.name, kind: gate.kind, ...score });
      continue;
    }
    const policy = failPolicy(gate);
    if (policy === 'warn') {
      events.emit({ type: 'gate-failed', ...where, gate: gate.name, kind: gate.kind, onFail: 'warn', feedback: check.feedback, attempt, ...score });
      continue;
    }
    const onFail = attempt <= policy.revise ? 'revise' : typeof policy.then === 'string' ? policy.then : 'route';
    events.emit({ type: 'gate-failed', ...where, gate: gate.name, kind: gate.kind, onFail, feedback: check.feedback, attempt, ...score });
    // Revisions spent and `then: warn`: the last output goes through; later gates still check it.
    if (onFail === 'warn') continue;
    return { passed: false, gate: gate.name, policy, feedback: check.feedback };
  }
  return { passed: true };
}

interface GateCheck {
  /** Why it failed; undefined when it passed. */
  feedback?: string;
  score?: number;
  /** A reviewer's replacement of the output. */
  edited?: string;
}

async function runGate(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  gate: ResolvedGate,
  subject: GateSubject,
  templateContext: Record<string, unknown>,
  expressionContext: Record<string, unknown>,
): Promise<GateCheck> {
  switch (gate.kind) {
    case 'assert': {
      if (!gate.assert) return {};
      const holds = outputCondition(state, frame, gate.assert, expressionContext, 'assert');
      if (holds === true) return {};
      return { feedback: holds === false ? `gate "${gate.name}" failed: \`${gate.assert.source}\` is false` : missingFeedback(gate, holds) };
    }
    case 'command': {
      if (!gate.command) return {};
      let ran: Awaited<ReturnType<typeof executeCommand>>;
      try {
        ran = await executeCommand(state, events, frame, gate.command, templateContext, { gate: gate.name });
      } catch (error) {
        const missing = commandMissingField(state, frame, gate.command, templateContext, error);
        if (!missing) throw error;
        return { feedback: missingFeedback(gate, missing) };
      }
      const { payload } = ran;
      if (payload.passed) return {};
      const output = [payload.stderr.trim(), payload.stdout.trim()].filter((text) => text !== '').join('\n').slice(-2000);
      return { feedback: `gate "${gate.name}" failed: \`${payload.command}\` exited with code ${payload.exit_code}${output ? `\n${output}` : ''}` };
    }
    case 'judge': {
      const verdict = await judgeOutput(state, events, frame, gate, subject.content);
      return verdict.passed ? { score: verdict.score } : { score: verdict.score, feedback: judgeFeedback(gate, verdict) };
    }
    case 'human': {
      const prompt = approvalQuestion(state, frame, gate, templateContext);
      if (typeof prompt !== 'string') return { feedback: missingFeedback(gate, prompt) };
      const decision = await humanDecision(state, events, frame, {
        gate: gate.name,
        prompt,
        round: frame.round,
        role: frame.role.id,
        action: frame.action.id,
        message: frame.message,
        ...(frame.index === undefined ? {} : { index: frame.index }),
        ...(frame.itemKey === undefined ? {} : { itemKey: frame.itemKey }),
        attempt: frame.attempt ?? 1,
        outputType: frame.action.output.type,
        format: frame.action.output.format,
        output: subject.content,
        artifacts: subject.artifacts,
      });
      if (decision.kind === 'approve') return {};
      if (decision.kind === 'edit') return { edited: decision.content };
      return { feedback: `gate "${gate.name}" failed: the reviewer rejected the output: ${decision.feedback}` };
    }
  }
}

/** A field the output lacks that a gate read, and which part of the gate read it (`its command`). */
interface MissingRead extends MissingField {
  reader: string;
}

/**
 * A gate's `assert` or `if` over the output; a `MissingRead` when it failed on a field the JSON
 * answer lacks (the output's data, which a revision can fix: the gate fails on it). Any other
 * failure (a type error, an unknown function: a mistake in the SOP) fails the run.
 */
function outputCondition(state: RunState, frame: ActionFrame, expression: ExpressionText, context: Record<string, unknown>, part: 'if' | 'assert'): boolean | MissingRead {
  try {
    return state.compiled.condition(expression, context);
  } catch (error) {
    // Only a `format: json` payload is the output's own data: the others are the runtime's, every key always there.
    const missing = frame.action.output.format === 'json' ? missingField(error, 'expression', expressionReads(state.compiled.expression(expression)), ['payload'], context) : undefined;
    if (!missing) throw error;
    // A multi-line expression is quoted at the line that reads the field (a macro's, at its list).
    const written = missing.read.slice(0, missing.read.indexOf(EACH) < 0 ? undefined : missing.read.indexOf(EACH)).join('.');
    const offset = expression.source.indexOf(written);
    return { ...missing, reader: `${part === 'if' ? 'its `if` ' : ''}\`${expressionExcerpt(expression.source, offset < 0 ? undefined : offset)}\`` };
  }
}

/**
 * What a human gate asks: its `prompt` rendered over the output, else the default question. A
 * `MissingRead` when the prompt reads a field the JSON answer lacks: nobody is asked about an
 * output the question cannot describe, and the answer is the one to fix (the gate fails).
 */
function approvalQuestion(state: RunState, frame: ActionFrame, gate: ResolvedGate, context: Record<string, unknown>): string | MissingRead {
  const question = gate.humanPrompt;
  if (!question) return defaultApprovalPrompt(gate, frame);
  try {
    return state.compiled.render(question, context).trim();
  } catch (error) {
    const missing = answerMissingField(state, frame, error, context, 'its prompt', (engine) => (engine === 'template' ? templateReads(state.compiled.template(question)) : []));
    if (!missing) throw error;
    return missing;
  }
}

/** A command gate whose argv or env read a field the JSON answer lacks (it is rendered before anything runs); undefined for any other failure. */
function commandMissingField(state: RunState, frame: ActionFrame, command: ResolvedCommand, context: Record<string, unknown>, error: unknown): MissingRead | undefined {
  return answerMissingField(state, frame, error, context, 'its command', (engine) =>
    engine === 'template'
      ? [...command.command, ...Object.values(command.env)].flatMap((part) => templateReads(state.compiled.template(part)))
      : command.argv ? expressionReads(state.compiled.expression(command.argv)) : []);
}

/**
 * The field a JSON answer lacks that a gate's template or expression failed on (`reads` gives what
 * the failed engine's texts read), named with the part of the gate that read it; undefined for
 * any other failure (an SOP mistake).
 */
function answerMissingField(
  state: RunState,
  frame: ActionFrame,
  error: unknown,
  context: Record<string, unknown>,
  reader: string,
  reads: (engine: 'template' | 'expression') => string[][],
): MissingRead | undefined {
  if (frame.action.output.format !== 'json' || !isSopError(error)) return undefined;
  const engine = error.code === 'TEMPLATE_RENDER' ? 'template' : 'expression';
  const missing = missingField(error, engine, reads(engine), ['payload'], context);
  return missing && { ...missing, reader };
}

/** The feedback of a gate that read a field the output lacks: the field first, then where the gate reads it. */
function missingFeedback(gate: ResolvedGate, { read, missing, indexes, reader }: MissingRead): string {
  return `gate "${gate.name}" failed: ${lackingText(missing, indexes)} (${reader} reads \`${pathText(read)}\`)`;
}

/** A human gate applies unless its `enabled` condition is false for this run's inputs. */
function humanGateOn(state: RunState, gate: ResolvedGate): boolean {
  return !gate.humanEnabled || state.compiled.condition(gate.humanEnabled, { inputs: state.inputs });
}
