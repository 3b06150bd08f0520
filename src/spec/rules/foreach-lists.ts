import { declaredTypes } from '../schema-fields.js';
import type { RuleContext } from './rule-context.js';
import { startOf } from './rule-context.js';
import { PLAIN_PATH, payloadRead, trustedSchemas } from './payload-fields.js';
import { PLACE_WORDS } from './variable-check.js';


/**
 * EXPRESSION_TYPE: a `foreach` over a payload field whose message type's schema declares it a
 * string, an object or anything but an array passed `sop validate` and failed the run at the first
 * such message ("must give a list"). So did a `foreach` over the whole payload (`message.payload`,
 * an object) and over `message.content` (always text). Fields with no declared type are left alone.
 */
export function foreachLists(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  for (const site of context.expressions()) {
    if ((site.place !== 'foreach' && site.place !== 'artifact-foreach') || !site.compiled || !PLAIN_PATH.test(site.expression.source)) continue;
    const path = site.expression.source.split('.').map((segment) => segment.trim());
    const place = PLACE_WORDS[site.place] ?? site.place;
    const triggers = payloadRead(site, ['message', 'payload'])?.types ?? [];
    const triggerSchemas = triggers.map((type) => schemas.get(type));
    const lists = triggerSchemas.every((schema) => schema !== undefined) ? arrayFields(triggerSchemas as Record<string, unknown>[]) : [];
    const instead = lists.length > 0 ? `iterate over a list field of the payload: ${lists.map((field) => `\`message.payload.${field}\``).join(', ')}` : undefined;
    if (path.length === 2 && path[0] === 'message' && path[1] === 'content') {
      context.sink.add({
        code: 'EXPRESSION_TYPE', severity: 'error', ...startOf(site.expression),
        message: `${place} must give a list; \`message.content\` is the message's text, a string`,
        expected: 'a list (an array field of a `format: json` payload)',
        hint: instead ?? 'publish the list as a `format: json` output whose schema declares an array field, and iterate over `message.payload.FIELD`',
      });
      continue;
    }
    const read = payloadRead(site, path);
    if (!read) continue;
    const governing = read.types.map((type) => schemas.get(type));
    if (governing.length === 0 || governing.some((schema) => schema === undefined)) continue;
    const types = declaredTypes(governing as Record<string, unknown>[], read.fields);
    if (!types || types.length === 0 || types.includes('array')) continue;
    const field = path.join('.');
    const names = read.types.map((type) => `\`${type}\``).join(' or ');
    const declared = types.map((type) => `\`type: ${type}\``).join(' or ');
    context.sink.add({
      code: 'EXPRESSION_TYPE', severity: 'error', ...startOf(site.expression),
      message: `${place} must give a list; \`${field}\` is ${read.fields.length === 0 ? 'the whole payload, ' : ''}declared ${declared} in the schema of ${names}`,
      expected: 'an array field (`type: array` in the payload\'s schema)',
      hint: read.fields.length === 0
        ? instead ?? `declare an array field in the schema of ${names} and iterate over it`
        : types.every((type) => type === 'object')
          // A map (package.json's `dependencies`): CEL's `map` over it gives its keys, a list.
          ? `to go over its keys, write \`${site.expression.source.trim()}.map(key, key)\` (each key is then \`item\`); or iterate over an array field, or declare \`${read.fields.join('.')}\` with \`type: array\` and its \`items\``
          : `iterate over an array field, or declare \`${read.fields.join('.')}\` with \`type: array\` and its \`items\``,
    });
  }
}

/** The top-level fields every one of `schemas` declares `type: array`: what a `foreach` can go over. */
function arrayFields(schemas: readonly Record<string, unknown>[]): string[] {
  const first = schemas[0]?.['properties'];
  if (!first || typeof first !== 'object') return [];
  return Object.keys(first).filter((name) => declaredTypes(schemas, [name])?.includes('array') === true);
}
