import { joinPointer } from '../pointer.js';
import { emissionsOf } from './message-flow.js';
import type { RuleContext } from './rule-context.js';

/**
 * SCHEMA_UNUSED (warning): a message type's `schema` is checked against `format: json` outputs only;
 * when every action publishing the type writes text, markdown or code, nothing is ever checked
 * against it and the author believes the payload is validated.
 */
export function schemaUnused(context: RuleContext): void {
  const publishers = new Map<string, Array<{ format: string; model: boolean; action: string }>>();
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      const list = publishers.get(action.output.type) ?? [];
      list.push({ format: action.output.format, model: action.run === undefined, action: action.id });
      publishers.set(action.output.type, list);
    }
  }
  const startTypes = new Set(emissionsOf(context.sop).filter((emission) => emission.origin !== 'output').map((emission) => emission.type));
  for (const [type, declaration] of Object.entries(context.sop.document.messages ?? {})) {
    if (!declaration || typeof declaration !== 'object' || !('schema' in declaration) || declaration.schema === undefined) continue;
    const list = publishers.get(type) ?? [];
    // Start messages, commands and gate routes carry payloads of their own: left alone.
    if (list.length === 0 || startTypes.has(type) || !list.every((publisher) => publisher.model && publisher.format !== 'json')) continue;
    const first = list[0]!;
    context.sink.warning('SCHEMA_UNUSED', joinPointer('/messages', type, 'schema'), `the schema of \`${type}\` is never checked: every action publishing it writes \`format: ${first.format}\`${list.length > 1 ? ' or another text format' : ''} (action \`${first.action}\`), and only \`format: json\` outputs are validated`, {
      expected: `\`output: { type: ${type}, format: json }\` in the actions publishing it`,
      hint: `make the output \`format: json\` to have its payload checked, or remove the \`schema\` of \`${type}\``,
    });
  }
}
