import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * Payload schemas spread over `$ref`'d files: a mistake, and each open object, is located in the
 * file that holds it (src/spec/rules/schema-file-place.ts). A `PAYLOAD_SCHEMA_INVALID` in a file
 * was located at the `$ref` in the SOP, and `PAYLOAD_SCHEMA_OPEN` named only the first open object.
 */
function project(schemas: Record<string, string>, files: Record<string, string>): string {
  const dir = tempDir('sop-schema-files-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const types = Object.entries(schemas).flatMap(([name, schema]) => [`  ${name}:`, `    schema: ${schema}`]);
  const actions = Object.keys(schemas).map((name) => `      - { id: write_${name.toLowerCase()}, prompt: "Write {{ message.content }}", output: { type: ${name}, format: json } }`);
  writeFileSync(
    path.join(dir, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: doc, version: 1.0.0 }',
      'messages:',
      '  Idea: { description: The idea }',
      ...types,
      'start: [{ type: Idea, content: "{{ inputs.idea }}" }]',
      `stop_when: [${Object.keys(schemas).map((name) => `{ type: ${name} }`).join(', ')}]`,
      'roles:',
      '  writer:',
      '    profile: Writer',
      '    watch: [Idea]',
      '    actions:',
      ...actions,
      '',
    ].join('\n'),
  );
  return dir;
}

/** The diagnostic headers (`FILE:LINE:COL: error CODE: message`) of an output. */
function headers(output: string): string[] {
  return output.split('\n').filter((line) => /^\S+:\d+:\d+: (error|warning) /.test(line));
}

describe('sop validate: payload schemas in `$ref`\'d files', () => {
  it('PAYLOAD_SCHEMA_INVALID in a referenced file is located there, at the offending keyword (a whole-file `$ref` and one under a property)', async () => {
    const cwd = project(
      { Doc: '{ $ref: schemas/doc.json }', Plan: '{ type: object, additionalProperties: false, required: [owner], properties: { owner: { $ref: schemas/person.yaml } } }' },
      {
        'schemas/doc.json': '{\n  "type": "object",\n  "additionalProperties": false,\n  "properties": {\n    "title": { "type": "strng" }\n  }\n}\n',
        'schemas/person.yaml': 'type: object\nadditionalProperties: false\nproperties:\n  name: { type: string, propertees: 1 }\n',
      },
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    const doc = path.join('schemas', 'doc.json');
    const person = path.join('schemas', 'person.yaml');
    expect(headers(result.stdout)).toEqual([
      `${doc}:5:24: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for \`Doc\` at ${doc}#/properties/title/type: \`strng\` is not allowed here`,
      `${person}:4:25: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for \`Plan\` at ${person}#/properties/name/propertees: unknown keyword: "propertees"`,
    ]);
    expect(result.stdout).toContain('  hint: did you mean `string`?\n    4 |   "properties": {\n  > 5 |     "title": { "type": "strng" }\n');
    expect(result.stdout).toContain('  hint: did you mean `properties`?\n    3 | properties:\n  > 4 |   name: { type: string, propertees: 1 }\n');
  });
});
