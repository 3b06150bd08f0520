import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';
import path from 'node:path';
import { cleanTempDirs, positionOf, validateText, warnings } from './helpers.js';

afterAll(removeTempDirs);
afterAll(cleanTempDirs);

/** `Doc` (inline) and the tasks of `Plan` (plan.json) are open with optional fields; `Closed`, `AllRequired` and `Extensible` are not warned about. */
const FIXTURE = 'test/fixtures/validate/payload-schema-open/sop.yaml';
const PLAN = 'test/fixtures/validate/payload-schema-open/plan.json';

const HINT = '  hint: add `additionalProperties: false`: an answer with a field the schema does not declare is then re-asked, with the schema error; ' +
  'or list the fields under `required`. Write `additionalProperties: true` to accept other fields on purpose';

describe('sop validate on a payload schema that lets a misspelt field through', () => {
  it('warns at the open object\'s `properties` (inside the schema file for a `$ref`, naming it), exit 0', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [
        `${FIXTURE}:12:7: warning PAYLOAD_SCHEMA_OPEN: the schema of \`Doc\` lets a misspelt field through: it accepts fields it does not declare, ` +
          'and `summary` is optional, so an answer with `summayr` instead of `summary` passes validation',
        '  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of the payload',
        HINT,
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      [
        `${PLAN}:11:9: warning PAYLOAD_SCHEMA_OPEN: the schema of \`Plan\` (plan.json) lets a misspelt field through: \`tasks[]\` accepts fields it does not declare, ` +
          'and `tasks[].notes` is optional, so an answer with `tasks[].notse` instead of `tasks[].notes` passes validation',
        '  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of `tasks[]`',
        HINT,
        '    10 |         "required": ["file"],',
        '  > 11 |         "properties": {',
      ].join('\n'),
    );
    expect(result.stdout.match(/PAYLOAD_SCHEMA_OPEN/g)).toHaveLength(2);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');
  });

  it('--json: the code, severity, file, line, column and pointer', async () => {
    const result = await sop(['validate', FIXTURE, '--json']);
    expect(result.code).toBe(0);
    const diagnostics = JSON.parse(result.stdout).result.files[0].diagnostics;
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', severity: 'warning', file: FIXTURE, line: 12, column: 7, pointer: '/messages/Doc/schema/properties' }),
      expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', severity: 'warning', file: PLAN, line: 11, column: 9, pointer: '/messages/Plan/schema/properties/tasks/items/properties' }),
    ]);
  });
});

/** One writer answering `Doc`; `schema` is its schema (flow YAML), `format` its output's format. */
function docSop(schema: string, format = 'json'): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: doc, version: 1.0.0 }
messages:
  Idea: { description: The idea }
  Doc:
    description: A document
    schema: ${schema}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Doc }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write {{ message.content }}", output: { type: Doc, format: ${format} } }
`;
}

describe('PAYLOAD_SCHEMA_OPEN: which objects count', () => {
  it('an object reached through a local `$ref` is warned about at its definition; one inside `anyOf` at its branch', async () => {
    const viaRef = await validateText(docSop('{ type: object, additionalProperties: false, required: [owner], properties: { owner: { $ref: "#/$defs/Person" } }, $defs: { Person: { type: object, properties: { name: { type: string } } } } }'));
    expect(warnings(viaRef)).toEqual([expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', pointer: '/messages/Doc/schema/$defs/Person/properties' })]);
    expect(warnings(viaRef)[0]?.message).toContain('`owner` accepts fields it does not declare, and `owner.name` is optional');
    const inBranch = await validateText(docSop('{ anyOf: [{ type: object, additionalProperties: false, properties: { a: { type: string } } }, { type: object, properties: { b: { type: string } } }] }'));
    expect(warnings(inBranch)).toEqual([expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', pointer: '/messages/Doc/schema/anyOf/1/properties' })]);
  });

  it('not for an object whose fields come from elsewhere (`allOf`), a schema no JSON answer meets, or an invalid schema', async () => {
    const composed = await validateText(docSop('{ allOf: [{ $ref: "#/$defs/Base" }], properties: { extra: { type: string } }, $defs: { Base: { type: object, additionalProperties: false, properties: { a: { type: string } } } } }'));
    expect(warnings(composed).map((warning) => warning.code)).not.toContain('PAYLOAD_SCHEMA_OPEN');
    const markdown = await validateText(docSop('{ type: object, properties: { title: { type: string } } }', 'markdown'));
    expect(warnings(markdown).map((warning) => warning.code)).toEqual(['SCHEMA_UNUSED']);
    const invalid = await validateText(docSop('{ type: object, properties: { title: { type: strng } } }'));
    expect(invalid.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['PAYLOAD_SCHEMA_INVALID']);
  });
});

describe('PAYLOAD_SCHEMA_OPEN in schema files', () => {
  it('is located in the file that holds the open object: a YAML file a property refers to, a JSON file\'s `$defs` named by a fragment', async () => {
    const person = 'type: object\nadditionalProperties: false\nproperties:\n  name: { type: string }\n  address:\n    type: object\n    properties:\n      city: { type: string }\n';
    const viaProperty = await validateText(docSop('{ type: object, additionalProperties: false, required: [owner], properties: { owner: { $ref: schemas/person.yaml } } }'), { 'schemas/person.yaml': person });
    expect(warnings(viaProperty)).toEqual([expect.objectContaining({
      code: 'PAYLOAD_SCHEMA_OPEN', file: path.join(viaProperty.dir, 'schemas/person.yaml'), ...positionOf(person, 'properties:\n      city'),
    })]);
    expect(warnings(viaProperty)[0]?.message).toContain('`owner.address` accepts fields it does not declare');

    const defs = '{\n  "$defs": {\n    "Task": {\n      "type": "object",\n      "properties": { "file": { "type": "string" } }\n    }\n  }\n}\n';
    const viaFragment = await validateText(docSop('{ type: object, additionalProperties: false, required: [task], properties: { task: { $ref: "defs.json#/$defs/Task" } } }'), { 'defs.json': defs });
    expect(warnings(viaFragment)).toEqual([expect.objectContaining({
      code: 'PAYLOAD_SCHEMA_OPEN', file: path.join(viaFragment.dir, 'defs.json'), ...positionOf(defs, '"properties"'),
    })]);
  });

  it('an open object written in the SOP beside a closed one from a file stays located in the SOP', async () => {
    const closed = '{ "type": "object", "additionalProperties": false, "properties": { "name": { "type": "string" } } }\n';
    const text = docSop('{ type: object, properties: { owner: { $ref: person.json } } }');
    const result = await validateText(text, { 'person.json': closed });
    expect(warnings(result)).toEqual([expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', file: result.path, ...positionOf(text, 'properties: { owner') })]);
  });
});
