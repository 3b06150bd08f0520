import { SopError } from '../errors/index.js';
import { isIdea } from '../runtime/inputs.js';
import type { ResolvedInput } from '../spec/resolved.js';
import { listNames } from '../spec/suggest.js';

/**
 * Builds the run's inputs from `--input name=value` pairs and the optional positional IDEA (the
 * `idea` input, or the input with the alias `idea`). Values stay strings: the runtime parses them to each input's declared type.
 */
export function collectInputs(pairs: string[], idea: string | undefined, declared: ResolvedInput[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [index, pair] of pairs.entries()) {
    const equals = pair.indexOf('=');
    const name = equals > 0 ? pair.slice(0, equals).trim() : '';
    if (!name) throw malformedInput(pair, declared, pairs.length === 1 ? '--input' : `--input (the ${ordinal(index + 1)})`);
    // The last one taken silently would lose a value a script or CI job appended (values may be secrets: not shown).
    if (Object.hasOwn(inputs, name)) {
      throw new SopError('USAGE', `input "${name}" was given twice (--input ${name}=... twice; the values are not shown)`, { hint: `give --input ${name}=VALUE once` });
    }
    inputs[name] = pair.slice(equals + 1);
  }
  if (idea !== undefined) {
    if (!declared.some(isIdea)) throw ideaWithoutIdeaInput(declared);
    if (inputs['idea'] !== undefined) {
      throw new SopError('USAGE', 'the idea was given twice (IDEA and --input idea=...)', { hint: 'give it once' });
    }
    inputs['idea'] = idea;
  }
  return inputs;
}

/**
 * A positional IDEA for an SOP without an `idea` input: the hint gives the inputs a run needs
 * (those with a default or not required said apart, as optional), not every input alike.
 */
function ideaWithoutIdeaInput(declared: ResolvedInput[]): SopError {
  const needed = declared.filter((input) => input.required && input.default === undefined);
  const optional = declared.filter((input) => !needed.includes(input)).map((input) => input.name);
  const give = needed.length > 0 ? `give ${needed.length === 1 ? 'its input' : 'its inputs'} as ${needed.map((input) => `--input ${input.name}=...`).join(' ')}` : 'drop the IDEA argument';
  return new SopError('USAGE', 'an IDEA was given but this SOP has no `idea` input', {
    hint: optional.length > 0 ? `${give} (optional: ${optional.map((name) => `--input ${name}=...`).join(', ')})` : give,
  });
}

/** Most characters of a malformed `--input`'s name part that its error shows. */
const SHOWN_NAME_CHARS = 40;

/**
 * A `--input` that is not NAME=VALUE. It may hold a secret (`--input API_KEY` meant as the key
 * itself, `--input TOKEN:abc123`), and the error lands in terminal and CI logs: it shows at most the
 * part before `:` (cut short), or the whole text only when it is an input this SOP declares.
 */
function malformedInput(pair: string, declared: ResolvedInput[], flag: string): SopError {
  const names = declared.flatMap((input) => [input.name, ...input.aliases]);
  const inputs = names.length > 0 ? `; this SOP's inputs: ${listNames(names)}` : '';
  const colon = pair.indexOf(':');
  const text = pair.trim();
  if (pair.includes('=')) {
    return new SopError('USAGE', `${flag} has no name before its \`=\` (its value is not shown)`, { hint: `write --input NAME=VALUE${inputs}` });
  }
  if (colon > 0 && pair.slice(0, colon).trim() !== '') {
    const name = pair.slice(0, colon).trim();
    const shown = name.length > SHOWN_NAME_CHARS ? `${name.slice(0, SHOWN_NAME_CHARS)}…` : name;
    return new SopError('USAGE', `${flag} "${shown}:..." is not NAME=VALUE: a \`:\` does not separate the name from the value (the value is not shown)`, {
      hint: `write --input ${shown === name ? name : 'NAME'}=VALUE${inputs}`,
    });
  }
  if (names.includes(text)) {
    return new SopError('USAGE', `${flag} "${text}" has no value: expected NAME=VALUE`, { hint: `write --input ${text}=VALUE` });
  }
  return new SopError('USAGE', `${flag} is not NAME=VALUE: it has no \`=\` (its text is not shown: it may be a value)`, { hint: `write --input NAME=VALUE${inputs}` });
}

/** `1st`, `2nd`, `3rd`, `4th`, ... */
function ordinal(count: number): string {
  const tens = count % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${count}${suffix}`;
}
