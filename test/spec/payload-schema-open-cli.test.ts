import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';
import { cleanTempDirs, validateText, warnings } from './helpers.js';

afterAll(removeTempDirs);
afterAll(cleanTempDirs);

/** `Doc` (inline) and the tasks of `Plan` (plan.json) are open with optional fields; `Closed`, `AllRequired` and `Extensible` are not warned about. */
const FIXTURE = 'test/fixtures/validate/payload-schema-open/sop.yaml';

const HINT = '  hint: add `additionalProperties: false`: an answer with a field the schema does not declare is then re-asked, with the schema error; ' +
  'or list the fields under `required`. Write `additionalProperties: true` to accept other fields on purpose';

describe('sop validate on a payload schema that lets a misspelt field through', () => {
  it('warns at the open object\'s `properties` (at the `$ref` for a schema file, naming it), exit 0', async () => {
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
        `${FIXTURE}:26:13: warning PAYLOAD_SCHEMA_OPEN: the schema of \`Plan\` (plan.json) lets a misspelt field through: \`tasks[]\` accepts fields it does not declare, ` +
          'and `tasks[].notes` is optional, so an answer with `tasks[].notse` instead of `tasks[].notes` passes validation',
        '  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of `tasks[]`',
        HINT,
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
      expect.objectContaining({ code: 'PAYLOAD_SCHEMA_OPEN', severity: 'warning', file: FIXTURE, line: 26, column: 13, pointer: '/messages/Plan/schema/properties/tasks/items/properties' }),
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
