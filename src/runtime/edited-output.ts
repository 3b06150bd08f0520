import { SopError } from '../errors/index.js';
import { parseOutput, type ParsedOutput } from '../outputs/parse-output.js';
import type { SchemaValidators } from '../spec/json-schemas.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { ActionFrame } from './action-frame.js';
import type { RunState } from './run-state.js';

/**
 * A reviewer's edit read against the awaited output's contract: a JSON output must still be JSON
 * matching its message type's schema. `sop resume --edit` checks the file with this before the run
 * continues (a bad file leaves the run awaiting approval); the gate applies it with the same check.
 */
export function readEdit(sop: ResolvedSop, validators: SchemaValidators, output: { type: string; format: 'text' | 'markdown' | 'json' | 'code' }, text: string): ParsedOutput {
  const schema = output.format === 'json' ? sop.messages[output.type]?.schema : undefined;
  // A person's JSON is read as written: the repairs that rescue a model's reply (a fence, a trailing
  // comma, a cut-off object) would turn a typo into some other value instead of saying where it is.
  if (output.format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, errors: [`not JSON: ${(error as Error).message}`] };
    }
  }
  return parseOutput(text, output.format, schema ? (value) => validators.validate(output.type, schema, value) : undefined);
}

/** A reviewer's edit as the action's output, or OUTPUT_INVALID naming the action when it breaks the contract. */
export function readEditedOutput(state: RunState, frame: ActionFrame, text: string): { content: string; payload: unknown } {
  const { action, role } = frame;
  const parsed = readEdit(state.sop, state.validators, action.output, text);
  if (parsed.ok) return { content: parsed.content, payload: parsed.payload };
  throw new SopError('OUTPUT_INVALID', `role ${role.id}, action ${action.id}: the reviewer's edit is not a valid ${action.output.type}: ${parsed.errors.join('; ')}`, {
    hint: `the run is saved: \`${state.resumeCommand}\` asks for the review again`,
  });
}
