import { joinPointer } from '../pointer.js';
import type { ResolvedBound } from '../resolved.js';
import { literalEscape } from './artifact-paths.js';
import type { RuleContext } from './rule-context.js';
import { didYouMean, listNames } from '../suggest.js';

/**
 * The additions that tie other fields to inputs: an alias names one input only (not another input
 * or alias); `path` belongs to `type: file` inputs and stays inside the workspace; a bound taken
 * from an input (`n_round: { input: turns }`, `max_runs`) names a declared `integer` or `number`
 * input (its value is checked when the run starts).
 */
export function inputUses(context: RuleContext): void {
  const names = new Map<string, string>();
  for (const input of context.sop.inputs) names.set(input.name, input.name);
  for (const input of context.sop.inputs) {
    const pointer = joinPointer('/inputs', input.name);
    for (const [index, alias] of input.aliases.entries()) {
      const taken = names.get(alias);
      if (taken !== undefined) {
        context.sink.error('DUPLICATE_ID', joinPointer(pointer, 'aliases', index), `alias \`${alias}\` of input \`${input.name}\` is already ${taken === alias ? 'an input' : `an alias of input \`${taken}\``}`, {
          expected: 'a name no other input or alias has',
          hint: `one name per input: rename the alias, or drop \`${alias}\``,
        });
      } else {
        names.set(alias, input.name);
      }
    }
    if (input.path === undefined) continue;
    if (input.type !== 'file') {
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'path'), `\`path\` applies to file inputs only; input \`${input.name}\` is ${input.type ?? 'string'}`, {
        at: 'key',
        expected: '`type: file` beside `path`',
        hint: 'add `type: file`, or remove `path`',
      });
      continue;
    }
    const escape = literalEscape(input.path);
    if (escape) {
      context.sink.error('ARTIFACT_PATH_ESCAPE', joinPointer(pointer, 'path'), `path \`${input.path}\` of file input \`${input.name}\` ${escape}`, {
        expected: 'a path relative to the workspace, staying inside it (e.g. `data/sales.csv`)',
        hint: 'the file is copied into the workspace (`--workspace`); remove the leading `/` or the `..` segments',
      });
    }
  }
  const bounds: Array<[string, ResolvedBound | undefined]> = [
    ['/settings/n_round', context.sop.settings.nRound],
    ...context.sop.roles.flatMap((role) => role.actions.map((action): [string, ResolvedBound | undefined] => [joinPointer(action.pointer, 'max_runs'), action.maxRuns])),
  ];
  for (const [pointer, bound] of bounds) {
    if (bound === undefined || typeof bound === 'number') continue;
    const owner = names.get(bound.input);
    const input = context.sop.inputs.find((candidate) => candidate.name === owner);
    if (!input) {
      context.sink.error('INPUT_UNDECLARED', joinPointer(pointer, 'input'), `input \`${bound.input}\` is not declared`, {
        expected: `declared inputs: ${listNames(names.keys())}`,
        hint: didYouMean(bound.input, names.keys()) ?? `declare it under \`inputs:\` (e.g. \`${bound.input}: { type: integer, default: 6 }\`)`,
      });
    } else if (input.type !== 'integer' && input.type !== 'number') {
      context.sink.error('SCHEMA_TYPE', joinPointer(pointer, 'input'), `input \`${bound.input}\` is ${input.type ?? 'string'}; a bound needs a whole number`, {
        expected: 'an input of `type: integer`',
        hint: `declare it as \`${bound.input}: { type: integer }\``,
      });
    } else if (typeof input.default === 'number' && !isWholeBound(input.default)) {
      // A default that is no number at all is input-defaults' SCHEMA_TYPE, once.
      context.sink.error('SCHEMA_VIOLATION', joinPointer('/inputs', input.name, 'default'), `input \`${input.name}\` is a bound, and its default ${JSON.stringify(input.default)} is not a whole number of at least 1`, {
        expected: 'a whole number of at least 1',
        hint: `e.g. \`default: 3\``,
      });
    }
  }
}

function isWholeBound(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
