import { declaredValues } from '../schema-fields.js';
import { closestMatch, listNames } from '../suggest.js';
import { payloadRead, trustedSchemas } from './payload-fields.js';
import { positionAt, type RuleContext } from './rule-context.js';

/** What a comparison with a value the field never has comes to, by operator. */
const OUTCOME = { '==': 'so `==` is never true', '!=': 'so `!=` is always true', in: 'so that entry of the `in` list never matches' } as const;

/**
 * EXPRESSION_VALUE_NOT_IN_ENUM (warning): a condition comparing a payload field with a text its
 * schema's `enum` (or `const`) does not list (`payload.priority == 'critical'` where the enum is
 * `[low, high]`) passed `sop validate` and was never true. A warning, not an error: the author may
 * be mid-edit, changing the schema and the conditions one after the other. Located at the literal.
 */
export function enumComparisons(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  for (const site of context.expressions()) {
    if (!site.compiled) continue;
    for (const comparison of site.compiled.textComparisons()) {
      const read = payloadRead(site, comparison.path);
      if (!read || read.types.length === 0) continue;
      const governing = read.types.map((type) => schemas.get(type));
      if (governing.some((schema) => schema === undefined)) continue;
      const allowed = declaredValues(governing as Record<string, unknown>[], read.fields);
      // Values of other kinds (numbers, null) are another comparison's concern.
      if (!allowed || !allowed.every((value): value is string => typeof value === 'string') || allowed.includes(comparison.literal)) continue;
      const field = comparison.path.join('.');
      const written = site.expression.source.slice(comparison.literalStart, comparison.literalEnd);
      const quote = written.startsWith('"') ? '"' : '\'';
      const names = read.types.map((type) => `\`${type}\``).join(' or ');
      const meant = closestMatch(comparison.literal, allowed);
      const { file, line, column, pointer } = positionAt(site.expression, comparison.literalStart);
      context.sink.warning('EXPRESSION_VALUE_NOT_IN_ENUM', pointer, `\`${field}\` is never \`${written}\`: the schema of ${names} allows only ${listNames(allowed)} (${OUTCOME[comparison.operator]})`, {
        file,
        position: { line, column },
        expected: `one of: ${listNames(allowed)}`,
        hint: meant !== undefined
          ? `did you mean \`${quote}${meant}${quote}\`?`
          : `compare with a value the schema allows, or add \`${comparison.literal}\` to the \`enum\` of \`${read.fields.join('.') || 'the payload'}\` in the schema of ${names}`,
      });
    }
  }
}
