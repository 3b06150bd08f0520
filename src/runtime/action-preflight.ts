import path from 'node:path';
import { SopError } from '../errors/index.js';
import { templateError } from '../templates/index.js';
import type { ActionFrame } from './action-frame.js';
import { executeCommand } from './command-step.js';
import type { EventScope } from './event-recorder.js';
import type { RunState } from './run-state.js';

/**
 * Checks the action's `precondition` (its CEL `assert`, or its `command` exiting 0) before its
 * model call or command, so nothing is paid for work that cannot succeed; PRECONDITION_FAILED
 * otherwise. (A `required` read is checked where reads are read, action-reads.ts.)
 */
export async function checkPrecondition(state: RunState, events: EventScope, frame: ActionFrame, context: Record<string, unknown>): Promise<void> {
  const precondition = frame.action.precondition;
  if (!precondition) return;
  if (precondition.assert) {
    if (state.compiled.condition(precondition.assert, context)) return;
    throw templateError('PRECONDITION_FAILED', precondition.assert.origin, undefined, `action ${frame.action.id}: precondition \`${precondition.assert.source}\` is false`,
      `the action did not run and nothing was paid for: fix what the condition checks (an input, a file it reads${copiesNote(state)}), then continue with \`${state.resumeCommand}\``);
  }
  if (!precondition.command) return;
  const { payload, content } = await executeCommand(state, events, frame, precondition.command, context, { precondition: true });
  if (payload.passed) return;
  throw new SopError('PRECONDITION_FAILED', `action ${frame.action.id}: precondition \`${payload.command}\` exited with code ${payload.exit_code}\n${content.trimEnd()}`, {
    hint: `the action did not run and nothing was paid for: fix what the command checks${copiesNote(state)}, then continue with \`${state.resumeCommand}\``,
  });
}

/**
 * `; file input data is read from its copy, /ws/data/sales.csv`: the run reads the copy made when it
 * started (and a resume does not copy again), so fixing the file that was given changes nothing.
 */
function copiesNote(state: RunState): string {
  const copies = state.sop.inputs
    .filter((input) => input.type === 'file' && typeof state.inputs[input.name] === 'string')
    .map((input) => `file input ${input.name} is read from its copy, ${path.join(state.workspace.root, state.inputs[input.name] as string)}`);
  return copies.length === 0 ? '' : `; ${copies.join('; ')}`;
}
