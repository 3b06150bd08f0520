import { declaredTypes } from '../schema-fields.js';
import type { RuleContext } from './rule-context.js';
import { startOf } from './rule-context.js';
import { PLAIN_PATH, payloadRead, trustedSchemas } from './payload-fields.js';
import { PLACE_WORDS } from './variable-check.js';


/**
 * EXPRESSION_SYNTAX: a `foreach` over a payload field whose message type's schema declares it a
 * string, an object or anything but an array passed `sop validate` and failed the run at the first
 * such message ("must give a list"). Fields with no declared type are left alone.
 */
export function foreachLists(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  for (const site of context.expressions()) {
    if ((site.place !== 'foreach' && site.place !== 'artifact-foreach') || !site.compiled || !PLAIN_PATH.test(site.expression.source)) continue;
    const path = site.expression.source.split('.').map((segment) => segment.trim());
    const read = payloadRead(site, path);
    if (!read || read.fields.length === 0) continue;
    const governing = read.types.map((type) => schemas.get(type));
    if (governing.length === 0 || governing.some((schema) => schema === undefined)) continue;
    const types = declaredTypes(governing as Record<string, unknown>[], read.fields);
    if (!types || types.length === 0 || types.includes('array')) continue;
    const field = path.join('.');
    const names = read.types.map((type) => `\`${type}\``).join(' or ');
    const declared = types.map((type) => `\`type: ${type}\``).join(' or ');
    context.sink.add({
      code: 'EXPRESSION_SYNTAX', severity: 'error', ...startOf(site.expression),
      message: `${PLACE_WORDS[site.place] ?? site.place} must give a list; \`${field}\` is declared ${declared} in the schema of ${names}`,
      expected: 'an array field (`type: array` in the payload\'s schema)',
      hint: `iterate over an array field, or declare \`${read.fields.join('.')}\` with \`type: array\` and its \`items\``,
    });
  }
}
