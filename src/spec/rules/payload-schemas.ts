import { isWithin, joinPointer } from '../pointer.js';
import { jsonSchemaProblems } from './json-schema-problems.js';
import type { RuleContext } from './rule-context.js';
import { schemaFilePlace } from './schema-file-place.js';

/**
 * PAYLOAD_SCHEMA_INVALID: every message type's payload schema must be a valid JSON Schema
 * (2020-12), strict about unknown keywords (`propertees`) and unknown types (`objekt`).
 */
export function payloadSchemas(context: RuleContext): void {
  for (const message of Object.values(context.sop.messages)) {
    if (!message.schema) continue;
    const base = joinPointer('/messages', message.name, 'schema');
    // A schema whose file refs failed is incomplete; its ref errors already say what to fix.
    if (context.sink.diagnostics.some((diagnostic) => diagnostic.code.startsWith('FILE_REF_') && isWithin(diagnostic.pointer ?? '', base))) continue;
    for (const problem of jsonSchemaProblems(message.schema)) {
      const pointer = base + problem.inner;
      // A mistake in a `$ref`'d file is located there, at the keyword, as the file's other problems are.
      const inFile = schemaFilePlace(message.schema, problem.inner, problem.at);
      const where = inFile ? `${inFile.file}#${inFile.pointer}` : pointer;
      context.sink.error('PAYLOAD_SCHEMA_INVALID', pointer, `invalid payload schema for \`${message.name}\` at ${where}: ${problem.detail}`, {
        at: problem.at,
        ...(inFile ? { file: inFile.file, position: inFile.position } : {}),
        ...(problem.expected === undefined ? {} : { expected: problem.expected }),
        ...(problem.hint === undefined ? {} : { hint: problem.hint }),
      });
    }
  }
}
