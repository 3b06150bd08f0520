import { joinPointer } from '../pointer.js';
import { payloadRead } from './payload-fields.js';
import type { ExpressionSite, RuleContext, TemplateSite } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';

/** The fields read from one type's payloads, and where the first is read. */
interface Reads {
  fields: Set<string>;
  first: { path: string; file: string; line: number; column: number };
}

/**
 * PAYLOAD_UNCHECKED (warning): a `format: json` output whose message type declares no `schema`,
 * while templates or conditions read fields of its payload (`{{ payload.title }}`,
 * `message.payload.title`). Nothing checks that an answer has them: `sop validate` cannot say a
 * field is misspelt, the model is not told to give it, and an answer without it fails where it is read.
 */
export function uncheckedPayloads(context: RuleContext): void {
  const declared = context.document.messages ?? {};
  const withoutSchema = new Set(Object.keys(declared).filter((type) => declared[type]?.schema === undefined));
  if (withoutSchema.size === 0) return;
  const readsByType = new Map<string, Reads>();
  const collect = (site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], template: boolean): void => {
    if (!site.compiled) return;
    for (const path of site.compiled.variables()) {
      const read = payloadRead(site, path);
      const field = read?.fields[0];
      if (!read || field === undefined || (template && readsForbiddenField(path))) continue;
      for (const type of read.types) {
        if (!withoutSchema.has(type)) continue;
        let reads = readsByType.get(type);
        if (!reads) {
          const written = path.slice(0, read.prefix + 1);
          const at = variablePosition(text, written);
          reads = { fields: new Set(), first: { path: written.join('.'), file: at.file, line: at.line, column: at.column } };
          readsByType.set(type, reads);
        }
        reads.fields.add(field);
      }
    }
  };
  for (const site of context.templates()) collect(site, site.template, true);
  for (const site of context.expressions()) collect(site, site.expression, false);
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      const type = action.output.type;
      const reads = readsByType.get(type);
      if (action.run || action.output.format !== 'json' || !reads) continue;
      const fields = [...reads.fields].map((field) => `\`${field}\``).join(', ');
      const { first } = reads;
      context.sink.warning('PAYLOAD_UNCHECKED', joinPointer(action.pointer, 'output', 'format'),
        `\`${type}\` is answered as JSON (\`format: json\`, action \`${action.id}\`) without a schema: the payload fields read from it cannot be checked ` +
          `(${fields}; first \`${first.path}\` at ${first.file}:${first.line}:${first.column}), and an answer without one fails the run where it is read`, {
          expected: `a \`schema\` for message type ${type}`,
          hint: `declare \`messages.${type}.schema\` with ${fields} under \`properties\` and \`required\`: the model is then asked for them, an answer without them is re-asked, and \`sop validate\` checks what templates read`,
        });
    }
  }
}
