import { SopError } from '../errors/index.js';
import type { ResolvedGate, ResolvedSop } from '../spec/resolved.js';
import { frameFields, type ActionFrame } from './action-output.js';
import type { Compiled } from './compiled.js';
import { executeCommand } from './command-step.js';
import type { EventScope } from './event-recorder.js';
import type { RunState } from './run-state.js';

/** What a failed gate asks for. */
export interface FailPolicy {
  /** Re-runs of the action with the gate's feedback before giving up. */
  revise: number;
  /** After revisions: publish this type with the feedback instead, or stop the run. */
  then: { route: string } | 'stop';
}

export type GateVerdict = { passed: true } | { passed: false; gate: string; policy: FailPolicy; feedback: string };

/** `on_fail` as a policy. Absent means stop: a gate nobody handles must not be ignored. */
export function failPolicy(gate: ResolvedGate): FailPolicy | 'warn' {
  const onFail = gate.onFail;
  if (onFail === 'warn') return 'warn';
  if (onFail === undefined || onFail === 'stop') return { revise: 0, then: 'stop' };
  return { revise: onFail.revise ?? 0, then: onFail.route ? { route: onFail.route } : 'stop' };
}

/**
 * Judge gates and enabled human gates are not implemented yet: refuse them before the run does
 * any work. A human gate whose `enabled` is false for these inputs is simply off.
 */
export function unsupportedGate(sop: ResolvedSop, compiled: Compiled, inputs: Record<string, unknown>): SopError | undefined {
  for (const role of sop.roles) {
    for (const action of role.actions) {
      for (const gate of action.gates) {
        if (gate.kind === 'assert' || gate.kind === 'command') continue;
        if (gate.kind === 'human' && gate.humanEnabled && !compiled.condition(gate.humanEnabled, { inputs })) continue;
        const message = `gate "${gate.name}" of action ${action.id} is a ${gate.kind} gate, which this version of sop cannot run yet`;
        return new SopError('FEATURE_UNSUPPORTED', `${sop.displayPath}: ${message} (at ${gate.pointer})`, {
          hint:
            gate.kind === 'judge'
              ? 'judge gates arrive with the providers issue; use an assert or command gate for now'
              : 'human gates arrive with approvals; use an assert or command gate, or an `enabled` condition that is false',
          diagnostics: [{ code: 'FEATURE_UNSUPPORTED', severity: 'error', message, file: sop.displayPath, pointer: gate.pointer }],
        });
      }
    }
  }
  return undefined;
}

/**
 * Checks an action's gates in order. A failing `warn` gate is recorded and checking goes on; the
 * first other failing gate decides. `assert` must evaluate to true; `command` must exit 0.
 */
export async function checkGates(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  templateContext: Record<string, unknown>,
  expressionContext: Record<string, unknown>,
  attempt: number,
): Promise<GateVerdict> {
  const where = frameFields(frame);
  for (const gate of frame.action.gates) {
    // Human gates reaching here are switched off by `enabled` (checked at run start).
    if (gate.kind === 'human' || gate.kind === 'judge') continue;
    let feedback: string | undefined;
    if (gate.assert) {
      if (!state.compiled.condition(gate.assert, expressionContext)) {
        feedback = `gate "${gate.name}" failed: \`${gate.assert.source}\` is false`;
      }
    } else if (gate.command) {
      const { payload } = await executeCommand(state, events, frame, gate.command, templateContext, gate.name);
      if (!payload.passed) {
        const output = [payload.stderr.trim(), payload.stdout.trim()].filter((text) => text !== '').join('\n').slice(-2000);
        feedback = `gate "${gate.name}" failed: \`${payload.command}\` exited with code ${payload.exit_code}${output ? `\n${output}` : ''}`;
      }
    }
    if (feedback === undefined) {
      events.emit({ type: 'gate-passed', ...where, gate: gate.name });
      continue;
    }
    const policy = failPolicy(gate);
    if (policy === 'warn') {
      events.emit({ type: 'gate-failed', ...where, gate: gate.name, onFail: 'warn', feedback, attempt });
      continue;
    }
    const onFail = attempt <= policy.revise ? 'revise' : policy.then === 'stop' ? 'stop' : 'route';
    events.emit({ type: 'gate-failed', ...where, gate: gate.name, onFail, feedback, attempt });
    return { passed: false, gate: gate.name, policy, feedback };
  }
  return { passed: true };
}
