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

  it('PAYLOAD_SCHEMA_OPEN: every open object, each at its `properties` in its own file, naming that file; exit 0', async () => {
    const cwd = project(
      { Plan: '{ type: object, properties: { owner: { $ref: schemas/person.yaml }, task: { $ref: "defs.json#/$defs/Task" } } }' },
      {
        'schemas/person.yaml': 'type: object\nproperties:\n  name: { type: string }\n',
        'defs.json': '{\n  "$defs": {\n    "Task": {\n      "type": "object",\n      "properties": { "file": { "type": "string" } }\n    }\n  }\n}\n',
      },
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stdout)).toEqual([
      'sop.yaml:7:29: warning PAYLOAD_SCHEMA_OPEN: the schema of `Plan` lets a misspelt field through: it accepts fields it does not declare, and `owner`, `task` are optional, so an answer with `ownre` instead of `owner` passes validation',
      'defs.json:5:7: warning PAYLOAD_SCHEMA_OPEN: the schema of `Plan` (defs.json) lets a misspelt field through: `task` accepts fields it does not declare, and `task.file` is optional, so an answer with `task.fiel` instead of `task.file` passes validation',
      `${path.join('schemas', 'person.yaml')}:2:1: warning PAYLOAD_SCHEMA_OPEN: the schema of \`Plan\` (schemas/person.yaml) lets a misspelt field through: \`owner\` accepts fields it does not declare, and \`owner.name\` is optional, so an answer with \`owner.naem\` instead of \`owner.name\` passes validation`,
    ]);
    expect(result.stdout).toContain('  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of `owner`\n');
  });

  it('PAYLOAD_SCHEMA_OPEN: a schema with more than 10 open objects reports 10, the last counting the rest', async () => {
    const objects = Array.from({ length: 12 }, (_, index) => `o${index + 1}: { type: object, properties: { name: { type: string } } }`);
    const cwd = project({ Plan: `{ type: object, additionalProperties: false, properties: { ${objects.join(', ')} } }` }, {});
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    const found = headers(result.stdout);
    expect(found).toHaveLength(10);
    expect(found.every((line) => line.includes('warning PAYLOAD_SCHEMA_OPEN'))).toBe(true);
    expect(found[0]).toContain('`o1` accepts fields it does not declare, and `o1.name` is optional');
    expect(found[9]).toMatch(/`o10` accepts fields it does not declare, and `o10.name` is optional, so an answer with `o10.naem` instead of `o10.name` passes validation; and 2 more objects of this schema \(`o11`, `o12`\) do the same$/);
  });
});
