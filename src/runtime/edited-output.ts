import { SopError } from '../errors/index.js';
import { parseOutput, type ParsedOutput } from '../outputs/parse-output.js';
import type { SchemaValidators } from '../spec/json-schemas.js';
import { valueAt } from '../spec/pointer.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { shownValue } from './inputs.js';
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
  let value: unknown;
  if (output.format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, errors: [`not JSON: ${(error as Error).message}`] };
    }
  }
  const parsed = parseOutput(text, output.format, schema ? (payload) => validators.validate(output.type, schema, payload) : undefined);
  return parsed.ok || value === undefined ? parsed : { ok: false, errors: parsed.errors.map((error) => withValueGiven(error, value)) };
}

/** Schema errors about a value, not a field's presence: a person is shown what they wrote there. */
const ABOUT_PRESENCE = new Set(['required property is missing', 'property is not allowed']);

/**
 * `/priority: must be one of ["low","high"]` as `/priority: "critical" given; must be one of ["low","high"]`:
 * a person looking for the slip in their file sees which value it is.
 */
function withValueGiven(error: string, edited: unknown): string {
  const match = /^(\/[^:]*): (.*)$/s.exec(error);
  if (!match || ABOUT_PRESENCE.has(match[2] as string)) return error;
  const given = valueAt(edited, match[1] as string);
  return given === undefined ? error : `${match[1]}: ${shownValue(given)} given; ${match[2]}`;
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
