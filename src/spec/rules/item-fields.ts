import { expressionRoots, templateRoots } from '../contexts.js';
import { unknownField, unknownItemField } from '../schema-fields.js';
import { didYouMean, listNames } from '../suggest.js';
import { itemRead, payloadRead, trustedSchemas } from './payload-fields.js';
import type { ExpressionSite, ItemList, RuleContext, TemplateSite } from './rule-context.js';
import { fieldPosition, variablePosition } from './rule-context.js';
import { EACH } from '../../templates/types.js';
import { readsForbiddenField } from './template-forbidden-fields.js';


/**
 * TEMPLATE_VARIABLE_UNKNOWN / EXPRESSION_VARIABLE_UNKNOWN: `item.fle` where `item` is an element of
 * a payload's list (`foreach: message.payload.modules`) whose schema's `items` is closed
 * (`additionalProperties: false`). Otherwise the run fails at the first item, after the model calls
 * that produced the list were paid for. Lists whose items are open or unknown are left alone.
 */
export function itemFields(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  /** Each list's item schemas, found once: the schemas of the payloads it reads and the path to the list inside them. */
  const lists = new Map<ItemList['list'], { governing: Record<string, unknown>[]; fields: string[]; types: readonly string[] } | undefined>();
  const listOf = (item: ItemList): { governing: Record<string, unknown>[]; fields: string[]; types: readonly string[] } | undefined => {
    if (lists.has(item.list)) return lists.get(item.list);
    let found: { governing: Record<string, unknown>[]; fields: string[]; types: readonly string[] } | undefined;
    const read = itemRead(item, ['item']);
    const governing = read?.types.map((type) => schemas.get(type));
    if (read && governing && governing.length > 0 && governing.every((schema) => schema !== undefined)) {
      // The list's own fields: `item`'s are looked up below.
      found = { governing: governing as Record<string, unknown>[], fields: read.fields.slice(0, -1), types: read.types };
    }
    lists.set(item.list, found);
    return found;
  };
  const check = (site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], roots: readonly string[], code: 'TEMPLATE_VARIABLE_UNKNOWN' | 'EXPRESSION_VARIABLE_UNKNOWN'): void => {
    if (!site.compiled || !site.item || !roots.includes('item')) return;
    const reported = new Set<string>();
    for (const path of site.compiled.variables()) {
      if (path[0] !== 'item' || path.length < 2 || (code === 'TEMPLATE_VARIABLE_UNKNOWN' && readsForbiddenField(path))) continue;
      const list = listOf(site.item);
      if (!list) return;
      const problem = unknownItemField(list.governing, list.fields, path.slice(1));
      if (!problem) continue;
      const written = path.slice(0, problem.index + 2);
      const key = written.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const names = list.types.map((type) => `\`${type}\``).join(' or ');
      const at = variablePosition(text, written);
      context.sink.error(code, at.pointer,
        `\`${key}\`: an item of \`${site.item.list.source.trim()}\` has no field \`${problem.field}\` (the schema of ${names} allows no other fields in its items)`, {
          file: at.file,
          position: { line: at.line, column: at.column },
          expected: `fields declared there: ${listNames(problem.known)}`,
          hint: didYouMean(problem.field, problem.known) ?? 'add the field to the items\' `properties`, or read one they declare',
        });
    }
  };
  for (const site of context.expressions()) check(site, site.expression, expressionRoots(site.place, site.facts), 'EXPRESSION_VARIABLE_UNKNOWN');
  for (const site of context.templates()) {
    check(site, site.template, templateRoots(site.place, site.facts), 'TEMPLATE_VARIABLE_UNKNOWN');
    checkLoops(context, site, schemas);
  }
}

/**
 * The same for a template's own loops over a payload's list: `{% for step in message.payload.steps
 * %}{{ step.titel }}` and `{{#each message.payload.steps}}{{titel}}{{/each}}` (`loopReads`); and
 * over a batch action's `messages`, whose payloads are its trigger types' (`m.payload.categry`).
 */
function checkLoops(context: RuleContext, site: TemplateSite, schemas: ReadonlyMap<string, Record<string, unknown>>): void {
  const reported = new Set<string>();
  for (const path of site.compiled?.loopReads?.() ?? []) {
    const each = path.indexOf(EACH);
    const list = path.slice(0, each);
    if (list.length === 1 && list[0] === 'messages') {
      batchPayloadField(context, site, schemas, path.slice(each + 1), reported);
      continue;
    }
    const read = payloadRead(site, list);
    const governing = read?.types.map((type) => schemas.get(type));
    if (!read || read.fields.length === 0 || !governing?.length || governing.some((schema) => schema === undefined)) continue;
    // Up to a loop nested inside this one (its items are another list's).
    const next = path.indexOf(EACH, each + 1);
    const fields = path.slice(each + 1, next === -1 ? undefined : next);
    const problem = fields.length === 0 ? undefined : unknownItemField(governing as Record<string, unknown>[], read.fields, fields);
    if (!problem) continue;
    const listText = list.join('.');
    const key = `${listText}[].${fields.slice(0, problem.index + 1).join('.')}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const names = read.types.map((type) => `\`${type}\``).join(' or ');
    const at = fieldPosition(site.template, problem.field);
    context.sink.error('TEMPLATE_VARIABLE_UNKNOWN', at.pointer,
      `\`${problem.field}\`: an item of \`${listText}\`, which this template loops over, has no field \`${problem.field}\` (the schema of ${names} allows no other fields in its items)`, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: `fields declared there: ${listNames(problem.known)}`,
        hint: didYouMean(problem.field, problem.known) ?? 'add the field to the items\' `properties`, or read one they declare',
      });
  }
}

/**
 * `m.payload.categry` in `{% for m in messages %}` of a batch action (`fields`: what is read of
 * `m`): its messages are of the action's trigger types, so a field their closed schemas lack
 * is never there, and the run fails at that prompt after the calls before it were paid for.
 */
function batchPayloadField(context: RuleContext, site: TemplateSite, schemas: ReadonlyMap<string, Record<string, unknown>>, fields: readonly string[], reported: Set<string>): void {
  const types = site.payloads.message;
  if (!site.facts.batch || fields[0] !== 'payload' || types === undefined || types.length === 0) return;
  const governing = types.map((type) => schemas.get(type));
  if (governing.some((schema) => schema === undefined)) return;
  // Up to a loop nested inside this one (its items are another list's).
  const next = fields.indexOf(EACH);
  const read = fields.slice(1, next === -1 ? undefined : next);
  const problem = read.length === 0 ? undefined : unknownField(governing as Record<string, unknown>[], read);
  if (!problem) return;
  const key = `messages[].payload.${read.slice(0, problem.index + 1).join('.')}`;
  if (reported.has(key)) return;
  reported.add(key);
  const names = types.map((type) => `\`${type}\``).join(' or ');
  const at = fieldPosition(site.template, problem.field);
  context.sink.error('TEMPLATE_VARIABLE_UNKNOWN', at.pointer,
    `\`${problem.field}\`: a message of \`messages\`, which this template loops over, has no field \`${problem.field}\` in its payload (\`messages\` holds the action's ${names} messages, and the schema allows no other fields)`, {
      file: at.file,
      position: { line: at.line, column: at.column },
      expected: `fields declared there: ${listNames(problem.known)}`,
      hint: didYouMean(problem.field, problem.known) ?? 'add the field to the schema\'s `properties`, or read one it declares',
    });
}
