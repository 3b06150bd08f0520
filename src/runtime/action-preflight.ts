import { SopError } from '../errors/index.js';
import { templateError } from '../templates/index.js';
import type { ActionFrame } from './action-frame.js';
import { executeCommand } from './command-step.js';
import type { EventScope } from './event-recorder.js';
import type { RunState } from './run-state.js';

/**
 * What an action checks before its model call or command, so nothing is paid for work that
 * cannot succeed: the files it `reads` (a `required` one must exist) and its `precondition`.
 */

/** The action's `reads`, by workspace-relative path; a missing `required` file is READ_MISSING at the entry. */
export function readActionFiles(state: RunState, frame: ActionFrame, context: Record<string, unknown>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const read of frame.action.reads) {
    const relative = state.compiled.render(read.path, context).trim();
    const text = state.workspace.readIfPresent(relative);
    if (text === undefined && read.required) {
      throw templateError('READ_MISSING', read.path.origin, undefined, `action ${frame.action.id} reads "${relative}", which is required and not in the workspace`,
        'write it in an earlier action, give it as a file input (`type: file`), or drop `required: true` to read a missing file as empty text');
    }
    files[relative] = text ?? '';
  }
  return files;
}

/** Checks the action's `precondition` (its CEL `assert`, or its `command` exiting 0); PRECONDITION_FAILED otherwise. */
export async function checkPrecondition(state: RunState, events: EventScope, frame: ActionFrame, context: Record<string, unknown>): Promise<void> {
  const precondition = frame.action.precondition;
  if (!precondition) return;
  if (precondition.assert) {
    if (state.compiled.condition(precondition.assert, context)) return;
    throw templateError('PRECONDITION_FAILED', precondition.assert.origin, undefined, `action ${frame.action.id}: precondition \`${precondition.assert.source}\` is false`,
      'the action did not run and nothing was paid for: fix what the condition checks (an input, a file it reads), then `sop resume` the run');
  }
  if (!precondition.command) return;
  const { payload, content } = await executeCommand(state, events, frame, precondition.command, context);
  if (payload.passed) return;
  throw new SopError('PRECONDITION_FAILED', `action ${frame.action.id}: precondition \`${payload.command}\` exited with code ${payload.exit_code}\n${content.trimEnd()}`, {
    hint: 'the action did not run and nothing was paid for: fix what the command checks, then `sop resume` the run',
  });
}
