import { SopError } from '../errors/index.js';
import { isIdea } from '../runtime/inputs.js';
import type { ResolvedInput } from '../spec/resolved.js';

/**
 * Builds the run's inputs from `--input name=value` pairs and the optional positional IDEA (the
 * `idea` input, or the input with the alias `idea`). Values stay strings: the runtime parses them to each input's declared type.
 */
export function collectInputs(pairs: string[], idea: string | undefined, declared: ResolvedInput[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const name = equals > 0 ? pair.slice(0, equals).trim() : '';
    if (!name) {
      throw new SopError('USAGE', `--input "${pair}" is not name=value`, { hint: 'write --input name=value, e.g. --input audience=engineers' });
    }
    inputs[name] = pair.slice(equals + 1);
  }
  if (idea !== undefined) {
    if (!declared.some(isIdea)) {
      const names = declared.map((input) => input.name);
      throw new SopError('USAGE', 'an IDEA was given but this SOP has no `idea` input', {
        hint: names.length > 0 ? `give its inputs as ${names.map((name) => `--input ${name}=...`).join(' ')}` : 'drop the IDEA argument',
      });
    }
    if (inputs['idea'] !== undefined) {
      throw new SopError('USAGE', 'the idea was given twice (IDEA and --input idea=...)', { hint: 'give it once' });
    }
    inputs['idea'] = idea;
  }
  return inputs;
}
