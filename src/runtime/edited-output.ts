import { parseOutput, type ParsedOutput } from '../outputs/parse-output.js';
import type { SchemaValidators } from '../spec/json-schemas.js';
import type { ResolvedSop } from '../spec/resolved.js';

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
