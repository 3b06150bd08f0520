import { expressionRoots, templateRoots } from '../contexts.js';
import { joinPointer } from '../pointer.js';
import { PLAIN_PATH, payloadRead } from './payload-fields.js';
import type { ExpressionSite, ItemList, RuleContext, TemplateSite } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';

/** The fields read from one type's payloads, and where the first is read. */
interface Reads {
  /** `title`; an item's field as `tasks[].file` (`[].file` when the payload is the list). */
  fields: Set<string>;
  first: { path: string; file: string; line: number; column: number };
}

/** A foreach's list inside payloads: their types and the fields that lead to it (none: the payload is the list). */
type PayloadList = { types: readonly string[]; fields: string[] } | undefined;

/**
 * PAYLOAD_UNCHECKED (warning): a `format: json` output whose message type declares no `schema`,
 * while templates or conditions read fields of its payload (`{{ payload.title }}`,
 * `message.payload.title`), or of the items of a list in it (`{{ item.file }}` in a
 * `foreach: message.payload.tasks`). Nothing checks that an answer has them: `sop validate` cannot
 * say a field is misspelt, the model is not told to give it, and an answer without it fails where it is read.
 */
export function uncheckedPayloads(context: RuleContext): void {
  const declared = context.document.messages ?? {};
  const withoutSchema = new Set(Object.keys(declared).filter((type) => declared[type]?.schema === undefined));
  if (withoutSchema.size === 0) return;
  const readsByType = new Map<string, Reads>();
  const record = (types: readonly string[], field: string, text: TemplateSite['template'] | ExpressionSite['expression'], written: readonly string[]): void => {
    for (const type of types) {
      if (!withoutSchema.has(type)) continue;
      const at = variablePosition(text, [...written]);
      const here = { path: written.join('.'), file: at.file, line: at.line, column: at.column };
      const reads = readsByType.get(type);
      if (!reads) readsByType.set(type, { fields: new Set([field]), first: here });
      else {
        reads.fields.add(field);
        // The first in the file, whichever rule's site came first (templates are read before conditions).
        if (here.file === reads.first.file && (here.line < reads.first.line || (here.line === reads.first.line && here.column < reads.first.column))) reads.first = here;
      }
    }
  };
  // Each foreach list, found once (several templates of an action read its items).
  const lists = new Map<ItemList['list'], PayloadList>();
  const listOf = (item: ItemList): PayloadList => {
    if (!lists.has(item.list)) {
      const read = PLAIN_PATH.test(item.list.source) ? payloadRead(item, item.list.source.split('.').map((segment) => segment.trim())) : undefined;
      lists.set(item.list, read && { types: read.types, fields: read.fields });
    }
    return lists.get(item.list);
  };
  const collect = (site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], roots: readonly string[], template: boolean): void => {
    if (!site.compiled) return;
    for (const path of site.compiled.variables()) {
      if (template && readsForbiddenField(path)) continue;
      const read = payloadRead(site, path);
      const field = read?.fields[0];
      if (read && field !== undefined) record(read.types, field, text, path.slice(0, read.prefix + 1));
      // `item.x` in a foreach over a payload's list: a field of that list's items.
      if (path[0] === 'item' && path[1] !== undefined && site.item && roots.includes('item')) {
        const list = listOf(site.item);
        if (list) record(list.types, `${list.fields.join('.')}[].${path[1]}`, text, path.slice(0, 2));
      }
    }
  };
  for (const site of context.templates()) collect(site, site.template, templateRoots(site.place, site.facts), true);
  for (const site of context.expressions()) collect(site, site.expression, expressionRoots(site.place, site.facts), false);
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      const type = action.output.type;
      const reads = readsByType.get(type);
      if (action.run || action.output.format !== 'json' || !reads) continue;
      // The payload's own fields first, then its lists' items' (`tasks`, then `tasks[].file`).
      const read = [...reads.fields].sort((a, b) => Number(a.includes('[]')) - Number(b.includes('[]')));
      const fields = read.map((field) => `\`${field}\``).join(', ');
      const { first } = reads;
      context.sink.warning('PAYLOAD_UNCHECKED', joinPointer(action.pointer, 'output', 'format'),
        `\`${type}\` is answered as JSON (\`format: json\`, action \`${action.id}\`) without a schema: the payload fields read from it cannot be checked ` +
          `(${fields}; first \`${first.path}\` at ${first.file}:${first.line}:${first.column}), and an answer without one fails the run where it is read`, {
          expected: `a \`schema\` for message type ${type}`,
          hint: `declare \`messages.${type}.schema\` with ${schemaPlaces(read)}: the model is then asked for them, an answer without them is re-asked, and \`sop validate\` checks what templates read`,
        });
    }
  }
}

/** Where each field read goes in the schema to declare: the payload's own under `properties`, an item's under its list's `items`. */
function schemaPlaces(fields: string[]): string {
  const own = fields.filter((field) => !field.includes('[]'));
  const byList = new Map<string, string[]>();
  for (const field of fields) {
    const at = field.lastIndexOf('[].');
    if (at === -1) continue;
    const list = field.slice(0, at);
    byList.set(list, [...(byList.get(list) ?? []), field.slice(at + 3)]);
  }
  const names = (list: string[]): string => list.map((name) => `\`${name}\``).join(', ');
  const parts = own.length > 0 ? [`${names(own)} under \`properties\` and \`required\``] : [];
  for (const [list, itemFields] of byList) {
    parts.push(list === '' ? `\`type: array\` and ${names(itemFields)} under its \`items\` (the payload is the list)` : `${names(itemFields)} under the \`items\` of \`${list}\``);
  }
  return parts.join(', and ');
}
