import path from 'node:path';
import { isWithin, joinPointer } from '../pointer.js';
import { isObject, listFields, misspeltExample, openObjects } from './open-objects.js';
import type { RuleContext } from './rule-context.js';
import { schemaFilePlace } from './schema-file-place.js';
import { plural } from '../../errors/index.js';

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
    // Each object is its own fix, in its own file; a schema with many reports the first few.
    const shown = open.slice(0, MAX_REPORTED);
    for (const [index, object] of shown.entries()) {
      const place = object.place === '' ? 'the payload' : `\`${object.place}\``;
      const pointer = `${object.inner}/properties`;
      const inFile = schemaFilePlace(message.schema, pointer, 'key');
      const file = inFile ? path.relative(context.sop.dir, inFile.absolute).replaceAll('\\', '/') : fileOf(context.document.messages?.[message.name]?.schema);
      const fields = object.optional;
      // The payload's own object comes first, so the rest are nested ones, named by their place.
      const rest = open.slice(MAX_REPORTED).map((other) => other.place);
      const more = index === shown.length - 1 && rest.length > 0 ? `; and ${plural(rest.length, 'more object')} of this schema (${listFields(rest)}) do${rest.length === 1 ? 'es' : ''} the same` : '';
      context.sink.warning('PAYLOAD_SCHEMA_OPEN', base + pointer,
        `the schema of \`${message.name}\`${file ? ` (${file})` : ''} lets a misspelt field through: ${object.place === '' ? 'it' : place} accepts fields it does not declare, ` +
          `and ${listFields(fields)} ${fields.length === 1 ? 'is' : 'are'} optional, so ${misspeltExample(fields[0]!)} passes validation${more}`, {
          at: 'key',
          ...(inFile ? { file: inFile.file, position: inFile.position } : {}),
          expected: `\`additionalProperties: false\` (or a \`required\` listing every property) beside the \`properties\` of ${place}`,
          hint: 'add `additionalProperties: false`: an answer with a field the schema does not declare is then re-asked, with the schema error; ' +
            'or list the fields under `required`. Write `additionalProperties: true` to accept other fields on purpose',
        });
    }
  }
}

/** Open objects reported one by one in one schema; the rest are counted in the last report. */
const MAX_REPORTED = 10;

/** The file of a schema written as `{ $ref: file.json }`, to name it in the message. */
function fileOf(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.$ref === 'string' && !schema.$ref.startsWith('#') ? schema.$ref : undefined;
}
