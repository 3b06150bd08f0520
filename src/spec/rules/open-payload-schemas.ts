import { positionInFile } from '../file-positions.js';
import { isWithin, joinPointer, valueAt } from '../pointer.js';
import { schemaFileOrigin } from '../schema-refs.js';
import type { RuleContext } from './rule-context.js';

/** An object of a payload schema that a misspelt field passes: open, with fields it does not require. */
interface OpenObject {
  /** Pointer inside the schema ('' for the schema itself). */
  inner: string;
  /** Where the object is in the payload: '' (the payload), `owner`, `tasks[]`. */
  place: string;
  /** Its optional fields, as paths in the payload (`title`, `tasks[].notes`). */
  optional: string[];
  /** The object itself (to find it in the schema file it came from). */
  node: Record<string, unknown>;
}

/** Nested levels walked (a schema deeper than this is left alone; refs may recurse). */
const MAX_DEPTH = 32;

/**
 * Keywords that say the author decided what else an object may hold, or that declare its fields
 * elsewhere (`allOf`, `$ref`, `if`, `dependentSchemas`): such an object is not warned about, since
 * `additionalProperties: false` there would refuse fields declared in the other places.
 */
const DECIDED = ['additionalProperties', 'unevaluatedProperties', 'patternProperties', 'propertyNames', 'allOf', '$ref', 'if', 'dependentSchemas'];

/**
 * PAYLOAD_SCHEMA_OPEN (warning): a model's JSON answer is validated against its message type's
 * schema, but an object schema with `properties` and neither `additionalProperties` nor a
 * `required` listing every property accepts a misspelt field: `{"titel": ...}` is a valid answer
 * to `properties: { title }`, nothing re-asks the model, and `title` is silently missing. Objects
 * nested under `properties`, `items`, `anyOf`/`oneOf` and local `$ref`s count the same. Only types
 * a model answers with `format: json` are checked: other payloads are never validated against it.
 */
export function openPayloadSchemas(context: RuleContext): void {
  const answeredAsJson = new Set(
    context.sop.roles.flatMap((role) => role.actions.filter((action) => action.run === undefined && action.output.format === 'json').map((action) => action.output.type)),
  );
  for (const message of Object.values(context.sop.messages)) {
    if (!message.schema || !answeredAsJson.has(message.name)) continue;
    // An invalid schema (or one whose file failed) is reported as such; this would be noise beside it.
    const base = joinPointer('/messages', message.name, 'schema');
    if (context.sink.diagnostics.some((diagnostic) => (diagnostic.code === 'PAYLOAD_SCHEMA_INVALID' || diagnostic.code.startsWith('FILE_REF_')) && isWithin(diagnostic.pointer ?? '', base))) continue;
    const open = openObjects(message.schema);
    const first = open[0];
    if (!first) continue;
    const fields = open.flatMap((object) => object.optional);
    const places = open.map((object) => (object.place === '' ? 'the payload' : `\`${object.place}\``));
    const subject = places.length > 1
      ? `${joinAnd(places)} accept fields they do not declare`
      : `${first.place === '' ? 'it' : places[0]} accepts fields it does not declare`;
    const file = fileOf(context.document.messages?.[message.name]?.schema);
    // An object written in a schema file is located there, at its `properties`, as its other problems are.
    const origin = schemaFileOrigin(first.node);
    const position = origin && positionInFile(origin.file, joinPointer(origin.pointer, 'properties'), 'key');
    context.sink.warning('PAYLOAD_SCHEMA_OPEN', `${base}${first.inner}/properties`,
      `the schema of \`${message.name}\`${file ? ` (${file})` : ''} lets a misspelt field through: ${subject}, and ${listFields(fields)} ${fields.length === 1 ? 'is' : 'are'} optional, ` +
        `so ${misspeltExample(fields[0]!)} passes validation`, {
        at: 'key',
        ...(origin && position ? { file: origin.file.display, position } : {}),
        expected: `\`additionalProperties: false\` (or a \`required\` listing every property) beside the \`properties\` of ${joinAnd(places)}`,
        hint: 'add `additionalProperties: false`: an answer with a field the schema does not declare is then re-asked, with the schema error; ' +
          'or list the fields under `required`. Write `additionalProperties: true` to accept other fields on purpose',
      });
  }
}

/** The schema's open objects, the payload's own first, in the schema's order. */
function openObjects(root: Record<string, unknown>): OpenObject[] {
  const found: OpenObject[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, inner: string, place: string, depth: number): void => {
    if (!isObject(node) || seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    const properties = isObject(node.properties) ? Object.keys(node.properties) : [];
    if (properties.length > 0 && !DECIDED.some((keyword) => keyword in node)) {
      const required = Array.isArray(node.required) ? node.required : [];
      const optional = properties.filter((name) => !required.includes(name));
      if (optional.length > 0) found.push({ inner, place, optional: optional.map((name) => (place === '' ? name : `${place}.${name}`)), node });
    }
    for (const name of properties) walk((node.properties as Record<string, unknown>)[name], joinPointer(inner, 'properties', name), place === '' ? name : `${place}.${name}`, depth + 1);
    if (isObject(node.items)) walk(node.items, `${inner}/items`, `${place}[]`, depth + 1);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const members = node[key];
      if (Array.isArray(members)) members.forEach((member, index) => walk(member, `${inner}/${key}/${index}`, place, depth + 1));
    }
    // A local ref (`#/$defs/Task`) is walked where it points; the warning names the definition.
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      const pointer = refPointer(node.$ref);
      if (pointer !== undefined) walk(valueAt(root, pointer), pointer, place, depth + 1);
    }
  };
  walk(root, '', '', 0);
  return found;
}

/** `#/$defs/Task` → `/$defs/Task`; undefined for a malformed escape (the schema's own check reports it). */
function refPointer(ref: string): string | undefined {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
}

/** A misspelling of the field's name, to make the risk concrete: `title` → `an answer with \`titel\` instead of \`title\``. */
function misspeltExample(field: string): string {
  // `tasks[].notes`: the name is after the last dot.
  const cut = field.lastIndexOf('.') + 1;
  const name = field.slice(cut);
  const last = name.length - 1;
  if (name.length < 3 || name[last] === name[last - 1]) return 'an answer with a misspelt name for one of them';
  return `an answer with \`${field.slice(0, cut)}${name.slice(0, last - 1)}${name[last]}${name[last - 1]}\` instead of \`${field}\``;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function listFields(fields: string[]): string {
  const shown = fields.slice(0, 5).map((field) => `\`${field}\``);
  return fields.length > 5 ? `${shown.join(', ')} and ${fields.length - 5} more` : shown.join(', ');
}

/** The file of a schema written as `{ $ref: file.json }`, to name it in the message. */
function fileOf(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.$ref === 'string' && !schema.$ref.startsWith('#') ? schema.$ref : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
