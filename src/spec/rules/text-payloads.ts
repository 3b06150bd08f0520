import { escalationOf } from '../gate-places.js';
import type { ResolvedSop } from '../resolved.js';
import { didYouMean, listNames } from '../suggest.js';
import { ARTIFACT_PLACES, payloadRead } from './payload-fields.js';
import type { ExpressionSite, RuleContext, TemplateSite } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';

/** The payload of a `text`/`markdown`/`code` output's message (docs/design.md "Payloads by format"). */
const TEXT_PAYLOAD_FIELDS = ['artifacts', 'language', 'item'];

/**
 * EXPRESSION_VARIABLE_UNKNOWN / TEMPLATE_VARIABLE_UNKNOWN: a field read from the payload of a
 * message type that only text outputs (`format: markdown`, ...) publish
 * (`stop_when: { type: Reply, if: payload.ok }`, Reply a markdown answer). Such a payload is
 * `{artifacts, language, item}`: any other field fails the run every time it is read, after the
 * model calls before it were paid for. (In the action's own artifacts, where `payload` is null,
 * `payloadFields` says so.)
 */
export function textPayloads(context: RuleContext): void {
  const publishers = textOnlyTypes(context.sop);
  if (publishers.size === 0) return;
  const check = (site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], code: 'TEMPLATE_VARIABLE_UNKNOWN' | 'EXPRESSION_VARIABLE_UNKNOWN'): void => {
    if (!site.compiled || ARTIFACT_PLACES.has(site.place)) return;
    const reported = new Set<string>();
    for (const path of site.compiled.variables()) {
      if (code === 'TEMPLATE_VARIABLE_UNKNOWN' && readsForbiddenField(path)) continue;
      const read = payloadRead(site, path);
      const field = read?.fields[0];
      if (!read || field === undefined || read.types.length === 0 || TEXT_PAYLOAD_FIELDS.includes(field)) continue;
      if (read.types.some((type) => !publishers.has(type))) continue;
      const written = path.slice(0, read.prefix + 1);
      const key = written.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const at = variablePosition(text, written);
      const types = read.types.map((type) => `\`${type}\``).join(' or ');
      const actions = [...new Set(read.types.flatMap((type) => publishers.get(type) ?? []))].map((id) => `\`${id}\``).join(', ');
      context.sink.error(code, at.pointer, `\`${key}\`: ${types} is published only by text outputs (action ${actions}), whose payload holds ${listNames(TEXT_PAYLOAD_FIELDS)} and no \`${field}\``, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: `a field of a text output's payload: ${listNames(TEXT_PAYLOAD_FIELDS)}`,
        hint: didYouMean(field, TEXT_PAYLOAD_FIELDS)
          ?? `read the text as \`message.content\` (\`output\` in the action's own gates), or make the output \`format: json\` with a \`schema\` on ${types} that declares \`${field}\``,
      });
    }
  };
  for (const site of context.expressions()) check(site, site.expression, 'EXPRESSION_VARIABLE_UNKNOWN');
  for (const site of context.templates()) check(site, site.template, 'TEMPLATE_VARIABLE_UNKNOWN');
}

/** Message types published by text model actions only (no start message, JSON or command action, gate route), with those actions. */
function textOnlyTypes(sop: ResolvedSop): Map<string, string[]> {
  const publishers = new Map<string, string[]>();
  const other = new Set<string>(sop.start.map((start) => start.type));
  for (const role of sop.roles) {
    for (const action of role.actions) {
      if (action.run || action.output.format === 'json') other.add(action.output.type);
      else publishers.set(action.output.type, [...(publishers.get(action.output.type) ?? []), action.id]);
      for (const gate of action.gates) {
        const escalation = escalationOf(gate.onFail);
        if (escalation) other.add(escalation.route);
      }
    }
  }
  for (const type of other) publishers.delete(type);
  return publishers;
}
