import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';
import { cleanTempDirs, positionOf, validateText, warnings } from './helpers.js';

afterAll(removeTempDirs);
afterAll(cleanTempDirs);

/** `head` (open, `lines` optional) and the `range` argument of `slice` are warned about; `closed`, `all_required` and `extensible` are not. */
const FIXTURE = 'test/fixtures/validate/tool-parameters-open/sop.yaml';

const HINT = '  hint: add `additionalProperties: false`: a call with an argument the schema does not declare is then refused and the model told why ' +
  '(strict function calling, such as OpenAI\'s, asks for it too); or list the arguments under `required`. Write `additionalProperties: true` to accept other arguments on purpose';

describe('sop validate on a tool whose parameters let a misspelt argument through', () => {
  it('warns at the open object\'s `properties`, with what is expected and how to fix it, exit 0', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [
        `${FIXTURE}:11:7: warning TOOL_PARAMETERS_OPEN: the parameters of tool \`head\` let a misspelt argument through: it accepts arguments it does not declare, ` +
          'and `lines` is optional, so a call with `linse` instead of `lines` passes validation and the tool runs without it',
        '  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of the arguments',
        HINT,
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      `${FIXTURE}:23:32: warning TOOL_PARAMETERS_OPEN: the parameters of tool \`slice\` let a misspelt argument through: \`range\` accepts fields it does not declare, ` +
        'and `range.from`, `range.to` are optional, so a call with `range.frmo` instead of `range.from` passes validation and the tool runs without it\n' +
        '  expected: `additionalProperties: false` (or a `required` listing every property) beside the `properties` of `range`',
    );
    expect(result.stdout.match(/TOOL_PARAMETERS_OPEN/g)).toHaveLength(2);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');
  });

  it('--json: the code, severity, file, line, column and pointer', async () => {
    const result = await sop(['validate', FIXTURE, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).result.files[0].diagnostics).toEqual([
      expect.objectContaining({ code: 'TOOL_PARAMETERS_OPEN', severity: 'warning', file: FIXTURE, line: 11, column: 7, pointer: '/tools/head/parameters/properties' }),
      expect.objectContaining({ code: 'TOOL_PARAMETERS_OPEN', severity: 'warning', file: FIXTURE, line: 23, column: 32, pointer: '/tools/slice/parameters/properties/range/properties' }),
    ]);
  });
});

/** One tool, `look`, with the given `parameters` (flow YAML), offered to the one action. */
function toolSop(parameters: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: look, version: 1.0.0 }
tools:
  look:
    description: Look at a file
    parameters: ${parameters}
    command: { command: [cat, "{{ args.path }}"] }
messages:
  Idea: { description: The idea }
  Notes: { description: The notes }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Notes }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write {{ message.content }}", output: { type: Notes }, tools: [look] }
`;
}

describe('TOOL_PARAMETERS_OPEN: which schemas count', () => {
  it('an object reached through a local `$ref` is warned about at its definition', async () => {
    const text = toolSop('{ type: object, additionalProperties: false, required: [path, where], properties: { path: { type: string }, where: { $ref: "#/$defs/Where" } }, $defs: { Where: { type: object, properties: { line: { type: integer } } } } }');
    const result = await validateText(text);
    expect(warnings(result)).toEqual([expect.objectContaining({ code: 'TOOL_PARAMETERS_OPEN', pointer: '/tools/look/parameters/$defs/Where/properties', ...positionOf(text, 'properties: { line') })]);
    expect(warnings(result)[0]?.message).toContain('`where` accepts fields it does not declare, and `where.line` is optional');
  });

  it('not for an invalid schema, one that is not an object (their errors say so), or one without properties', async () => {
    const invalid = await validateText(toolSop('{ type: object, properties: { path: { type: strng } } }'));
    expect(invalid.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['PAYLOAD_SCHEMA_INVALID']);
    const notObject = await validateText(toolSop('{ type: array, items: { type: object, properties: { path: { type: string } } } }'));
    expect(notObject.diagnostics.map((diagnostic) => diagnostic.code)).toContain('SCHEMA_VIOLATION');
    expect(warnings(notObject)).toEqual([]);
    const empty = await validateText(toolSop('{ type: object, properties: {} }'));
    expect(warnings(empty)).toEqual([]);
  });
});

/** Every SOP file under the folder (a `.yaml` starting with `apiVersion: sop/v1`). */
function sopFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return sopFiles(file);
    return /\.ya?ml$/.test(name) && /^apiVersion: sop\/v1$/m.test(readFileSync(file, 'utf8')) ? [file] : [];
  });
}

describe('the built-in SOPs and the examples', () => {
  it('are not warned about (their requests to models stay as they are)', async () => {
    const files = [...sopFiles('sops'), ...sopFiles('examples')];
    expect(files.length).toBeGreaterThan(5);
    const result = await sop(['validate', '--json', ...files]);
    const codes = JSON.parse(result.stdout).result.files.flatMap((file: { diagnostics: Array<{ code: string }> }) => file.diagnostics.map((diagnostic) => diagnostic.code));
    expect(codes).not.toContain('TOOL_PARAMETERS_OPEN');
    expect(codes).not.toContain('PAYLOAD_SCHEMA_OPEN');
  });
});
