import { joinPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

/** What each input type takes as its `default`, as written in YAML (the run uses the default as it is, unparsed). */
const TAKES: Record<string, { fits: (value: unknown) => boolean; what: string; example: string }> = {
  // `year: { default: 2024 }`: a text input given a number reads the same in a template, and `--input year=2024` is taken as it is.
  string: { fits: (value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean', what: 'a text', example: '"weekly sales"' },
  file: { fits: (value) => typeof value === 'string', what: 'a workspace path (text)', example: 'data/sales.csv' },
  number: { fits: (value) => typeof value === 'number' && Number.isFinite(value), what: 'a number', example: '0.5' },
  integer: { fits: (value) => typeof value === 'number' && Number.isInteger(value), what: 'a whole number', example: '3' },
  boolean: { fits: (value) => typeof value === 'boolean', what: '`true` or `false`', example: 'false' },
};

/**
 * An input's `default` is taken as written when the input is not given, unchecked: `sample_rows:
 * { type: integer, default: three }` or a default outside the input's `enum` ran with a value
 * `--input` would refuse (INPUT_INVALID), failing later in a condition or reaching the model. Refused
 * here, at the default, like the value the command line would have been refused for.
 */
export function inputDefaults(context: RuleContext): void {
  for (const input of context.sop.inputs) {
    if (input.default === undefined) continue;
    const pointer = joinPointer('/inputs', input.name, 'default');
    const type = input.type ?? 'string';
    const takes = TAKES[type];
    if (takes && !takes.fits(input.default)) {
      context.sink.error('SCHEMA_TYPE', pointer, `the default of input \`${input.name}\` (${type}) is ${JSON.stringify(input.default)}, not ${takes.what}`, {
        expected: `${takes.what}, as \`--input ${input.name}=...\` would be parsed`,
        hint: `write it as ${takes.what} (e.g. \`default: ${takes.example}\`), or change the input's \`type\``,
      });
      continue;
    }
    if (input.enum && !input.enum.some((allowed) => allowed === input.default)) {
      const allowed = input.enum.map((value) => String(value));
      context.sink.error('SCHEMA_VIOLATION', pointer, `the default of input \`${input.name}\` is ${JSON.stringify(input.default)}, which its \`enum\` does not list`, {
        expected: `one of: ${listNames(allowed)}`,
        hint: (typeof input.default === 'string' ? didYouMean(input.default, allowed) : undefined) ?? 'use one of the `enum` values, or add this one to `enum`',
      });
    }
  }
}
