import type { LiteralValue, ValueComparison } from '../../expressions/index.js';
import { EACH } from '../../templates/types.js';
import { expressionRoots } from '../contexts.js';
import { declaredValues } from '../schema-fields.js';
import { closestMatch, listNames } from '../suggest.js';
import { itemRead, payloadRead, trustedSchemas } from './payload-fields.js';
import { positionAt, type RuleContext } from './rule-context.js';

/** What a comparison with a value the field never has comes to, by operator. */
const OUTCOME = { '==': 'so `==` is never true', '!=': 'so `!=` is always true', in: 'so that entry of the `in` list never matches' } as const;

/**
 * EXPRESSION_VALUE_NOT_IN_ENUM (warning): a condition comparing a payload field with a value its
 * schema's `enum` (or `const`) does not list (`payload.priority == 'critical'` where the enum is
 * `[low, high]`, `payload.level == 3` where it is `[1, 2]`, `payload.level == '2'`: a text is never
 * a number) passed `sop validate` and was never true. Fields read through a foreach's `item` or a
 * comprehension's variable (`payload.tasks.all(t, t.state != 'dne')`) too, from their list's
 * `items`. A warning, not an error: the author may be mid-edit, changing the schema and the
 * conditions one after the other. Located at the literal.
 */
export function enumComparisons(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  for (const site of context.expressions()) {
    if (!site.compiled) continue;
    const item = site.item && expressionRoots(site.place, site.facts).includes('item') ? site.item : undefined;
    for (const comparison of site.compiled.valueComparisons()) {
      const read = comparison.path[0] === 'item' ? item && itemRead(item, comparison.path) : payloadRead(site, comparison.path);
      if (!read || read.types.length === 0) continue;
      const governing = read.types.map((type) => schemas.get(type));
      if (governing.some((schema) => schema === undefined)) continue;
      const written = site.expression.source.slice(comparison.literalStart, comparison.literalEnd);
      const problem = valueNotInEnum(comparison, written, read.types, declaredValues(governing as Record<string, unknown>[], read.fields), read.fields);
      if (!problem) continue;
      const { file, line, column, pointer } = positionAt(site.expression, comparison.literalStart);
      const { message, ...details } = problem;
      context.sink.warning('EXPRESSION_VALUE_NOT_IN_ENUM', pointer, message, { file, position: { line, column }, ...details });
    }
  }
}

/**
 * How a comparison with a value the schema's `enum` does not list is told, in an SOP's condition and
 * in a test file's `where`; undefined when `allowed` (the values declared, if any) lists it.
 * `written`: the literal as the author wrote it; `fields`: its path in the payload.
 */
export function valueNotInEnum(
  comparison: Pick<ValueComparison, 'path' | 'operator' | 'value'>,
  written: string,
  types: readonly string[],
  allowed: readonly unknown[] | undefined,
  fields: readonly string[],
): { message: string; expected: string; hint: string } | undefined {
  // CEL's `==`: numbers by value (`1 == 1.0`, as JSON and the literal are both read as numbers), other kinds only with their own.
  if (!allowed || allowed.length === 0 || allowed.includes(comparison.value)) return undefined;
  // An enum of objects or lists: a literal is never one of them, but what was meant cannot be told.
  if (!allowed.every(isLiteral)) return undefined;
  const quote = written.startsWith('"') ? '"' : '\'';
  const shown = allowed.every((value) => typeof value === 'string') ? listNames(allowed as string[]) : allowed.map((value) => spelled(value, quote)).join(', ');
  const names = types.map((type) => `\`${type}\``).join(' or ');
  const field = comparison.path.join('.').replaceAll(`.${EACH}`, EACH);
  const meant = nearest(comparison.value, allowed);
  return {
    message: `\`${field}\` is never \`${written}\`: the schema of ${names} allows only ${shown} (${OUTCOME[comparison.operator]})`,
    expected: `one of: ${shown}`,
    hint: meant !== undefined
      ? `did you mean \`${spelled(meant, quote)}\`?`
      : `compare with a value the schema allows, or add \`${String(comparison.value)}\` to the \`enum\` of \`${fields.join('.').replaceAll(`.${EACH}`, EACH) || 'the payload'}\` in the schema of ${names}`,
  };
}

function isLiteral(value: unknown): value is LiteralValue {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The allowed value the literal most likely stands for: a close text, or the same spelling of another kind (`'3'` for `3`). */
function nearest(literal: LiteralValue, allowed: readonly LiteralValue[]): LiteralValue | undefined {
  const sameSpelling = allowed.find((value) => String(value) === String(literal));
  if (sameSpelling !== undefined) return sameSpelling;
  return typeof literal === 'string' ? closestMatch(literal, allowed.filter((value): value is string => typeof value === 'string')) : undefined;
}

/** A value as a CEL literal: texts in the author's quotes. */
function spelled(value: LiteralValue, quote: string): string {
  return typeof value === 'string' ? `${quote}${value}${quote}` : String(value);
}
