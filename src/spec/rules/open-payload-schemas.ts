import { positionInFile } from '../file-positions.js';
import { isWithin, joinPointer } from '../pointer.js';
import { schemaFileOrigin } from '../schema-refs.js';
import { isObject, joinAnd, listFields, misspeltExample, openObjects } from './open-objects.js';
import type { RuleContext } from './rule-context.js';

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

/** The file of a schema written as `{ $ref: file.json }`, to name it in the message. */
function fileOf(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.$ref === 'string' && !schema.$ref.startsWith('#') ? schema.$ref : undefined;
}
