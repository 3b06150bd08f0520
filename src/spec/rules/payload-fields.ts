import { escalationOf } from '../gate-places.js';
import { payloadOwner } from '../contexts.js';
import { isWithin, joinPointer } from '../pointer.js';
import type { ResolvedSop } from '../resolved.js';
import { unknownField, type UnknownField } from '../schema-fields.js';
import { didYouMean, listNames } from '../suggest.js';
import { EACH } from '../../templates/types.js';
import type { ExpressionSite, ItemList, RuleContext, TemplateSite } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';

/**
 * EXPRESSION_VARIABLE_UNKNOWN / TEMPLATE_VARIABLE_UNKNOWN: a field read from a payload
 * (`payload.categry`, `message.payload.categry`) must be one its message type's schema allows, when
 * that schema is closed (`additionalProperties: false`). Otherwise the run fails at the first such
 * message, after the model calls that produced it were paid for.
 */
export function payloadFields(context: RuleContext): void {
  const schemas = trustedSchemas(context);
  const check = (site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], code: 'TEMPLATE_VARIABLE_UNKNOWN' | 'EXPRESSION_VARIABLE_UNKNOWN'): void => {
    if (!site.compiled) return;
    const reported = new Set<string>();
    for (const path of site.compiled.variables()) {
      const read = payloadRead(site, path);
      if (!read || (code === 'TEMPLATE_VARIABLE_UNKNOWN' && readsForbiddenField(path))) continue;
      const types = read.types.map((type) => ({ type, schema: schemas.get(type) }));
      // A type without a governing schema may carry anything: nothing certain to say.
      if (types.length === 0 || types.some(({ schema }) => schema === undefined)) continue;
      const problem = unknownField(types.map(({ schema }) => schema as Record<string, unknown>), read.fields);
      if (!problem) continue;
      const written = path.slice(0, read.prefix + problem.index + 1);
      const key = written.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const at = variablePosition(text, written);
      const { message, ...details } = unknownPayloadField(key, types.map(({ type }) => type), problem);
      context.sink.error(code, at.pointer, message, { file: at.file, position: { line: at.line, column: at.column }, ...details });
    }
  };
  for (const site of context.expressions()) check(site, site.expression, 'EXPRESSION_VARIABLE_UNKNOWN');
  for (const site of context.templates()) check(site, site.template, 'TEMPLATE_VARIABLE_UNKNOWN');
  for (const site of context.expressions()) payloadOfText(context, site, site.expression, 'EXPRESSION_VARIABLE_UNKNOWN');
  for (const site of context.templates()) payloadOfText(context, site, site.template, 'TEMPLATE_VARIABLE_UNKNOWN');
}

/** How a read of a field no payload schema allows is told (`key`: the path as written, e.g. `payload.sevrity`): in an SOP and in a test file's `where`. */
export function unknownPayloadField(key: string, types: readonly string[], problem: UnknownField): { message: string; expected: string; hint: string } {
  const names = types.map((type) => `\`${type}\``).join(' or ');
  return {
    message: `\`${key}\`: the payload of ${names} has no field \`${problem.field}\` (its schema allows no other fields)`,
    expected: `fields declared there: ${listNames(problem.known)}`,
    hint: didYouMean(problem.field, problem.known) ?? 'add the field to the schema\'s `properties`, or read one it declares',
  };
}

/** Where an action's artifacts are rendered: there, `payload` is the output's parsed JSON, null for any other format. */
export const ARTIFACT_PLACES = new Set(['artifact', 'artifact-foreach', 'artifact-if']);

/**
 * `{{ payload.title }}` in an artifact of a `format: markdown` (text, code) model action: such an
 * output is not parsed, its payload is null there, and the artifact was written empty.
 */
function payloadOfText(context: RuleContext, site: TemplateSite | ExpressionSite, text: TemplateSite['template'] | ExpressionSite['expression'], code: 'TEMPLATE_VARIABLE_UNKNOWN' | 'EXPRESSION_VARIABLE_UNKNOWN'): void {
  const action = site.action;
  // A command's output (`run`) has a payload of its own: exit code, stdout, stderr.
  if (!site.compiled || !action || action.run || action.output.format === 'json' || !ARTIFACT_PLACES.has(site.place)) return;
  // A field of it is never there; `{% if payload %}` alone is merely false.
  const path = site.compiled.variables().find((segments) => segments[0] === 'payload' && segments.length > 1);
  if (!path) return;
  const at = variablePosition(text, path);
  const format = action.output.format;
  context.sink.error(code, at.pointer, `\`${path.join('.')}\`: the output of action \`${action.id}\` is \`format: ${format}\`, not JSON: it has no payload (\`payload\` is null in its artifacts)`, {
    file: at.file,
    position: { line: at.line, column: at.column },
    expected: 'a `format: json` output to read fields of, or `output` (the text as written)',
    hint: `write the whole text with \`{{ output }}\`, or make the output \`format: json\` with a \`schema\` on message type \`${action.output.type}\` that declares the fields`,
  });
}

/** `governingSchemas` less those that are themselves invalid (reported already): they say nothing certain. */
export function trustedSchemas(context: RuleContext): Map<string, Record<string, unknown>> {
  const schemas = governingSchemas(context.sop);
  for (const type of [...schemas.keys()]) {
    const base = joinPointer('/messages', type, 'schema');
    if (context.sink.diagnostics.some((diagnostic) => diagnostic.severity === 'error' && isWithin(diagnostic.pointer ?? '', base))) schemas.delete(type);
  }
  return schemas;
}

/** A plain path (`message.payload.tasks`): the only kind of expression whose value (a list, its items) a schema declares. */
export const PLAIN_PATH = /^\s*[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)*\s*$/;

/** The message types a path reads the payload of, and the fields it reads inside it. */
export function payloadRead(site: Pick<TemplateSite | ExpressionSite, 'place' | 'payloads'>, path: readonly string[]): { types: readonly string[]; fields: string[]; prefix: number } | undefined {
  if (path[0] === 'message' && path[1] === 'payload' && site.payloads.message) return { types: site.payloads.message, fields: path.slice(2), prefix: 2 };
  if (path[0] !== 'payload') return undefined;
  const owner = payloadOwner(site.place);
  const types = owner === 'message' ? site.payloads.message : owner === 'output' && site.payloads.output !== undefined ? [site.payloads.output] : undefined;
  return types ? { types, fields: path.slice(1), prefix: 1 } : undefined;
}

/**
 * The same for a path read through a foreach's `item` (`item.state`, the list `message.payload.tasks`):
 * the fields from the payload, `EACH` standing for the item (`tasks`, `[]`, `state`). Undefined
 * unless the list is a payload's field written as a plain path.
 */
export function itemRead(item: ItemList, path: readonly string[]): { types: readonly string[]; fields: string[] } | undefined {
  if (!PLAIN_PATH.test(item.list.source)) return undefined;
  const list = payloadRead(item, item.list.source.split('.').map((segment) => segment.trim()));
  return list && list.fields.length > 0 ? { types: list.types, fields: [...list.fields, EACH, ...path.slice(1)] } : undefined;
}

/**
 * Message types whose every payload is checked against their schema: each is produced only by
 * `format: json` model actions. Command results, text outputs (which carry where they were
 * written), gate routes and start messages carry payloads of their own shape.
 */
export function governingSchemas(sop: ResolvedSop): Map<string, Record<string, unknown>> {
  const other = new Set<string>();
  for (const start of sop.start) if (start.payload !== undefined) other.add(start.type);
  for (const role of sop.roles) {
    for (const action of role.actions) {
      if (action.run || action.output.format !== 'json') other.add(action.output.type);
      for (const gate of action.gates) {
        const escalation = escalationOf(gate.onFail);
        if (escalation) other.add(escalation.route);
      }
    }
  }
  const governing = new Map<string, Record<string, unknown>>();
  for (const message of Object.values(sop.messages)) {
    if (message.schema && !other.has(message.name)) governing.set(message.name, message.schema);
  }
  return governing;
}
