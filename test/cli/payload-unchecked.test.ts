import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * `sop validate` warns (PAYLOAD_UNCHECKED, exit 0) at a `format: json` output whose message type
 * has no schema while templates or conditions read fields of its payload: nothing can check them.
 */
afterAll(removeTempDirs);

/** A writer answering `Doc` as JSON; `schema` is the Doc type's schema lines (none by default). */
function docSop(options: { schema?: string; artifact?: string } = {}): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: doc-writer, version: 1.0.0 }
messages:
  Request: { description: What to write about }
  Doc:
    description: A document${options.schema ?? ''}
  Review: { description: A review }
start:
  - { type: Request, content: "{{ inputs.idea }}" }
stop_when: { type: Review }
roles:
  writer:
    profile: Writer
    goal: Write documents
    watch: [Request]
    actions:
      - id: write_doc
        prompt: "Write about {{ message.content }}"
        output: { type: Doc, format: json }
        artifacts:
          - path: doc.md
            content: "${options.artifact ?? '# {{ payload.title }}\\n\\n{{ payload.body }}'}"
  reviewer:
    profile: Reviewer
    goal: Review documents
    watch: [Doc]
    actions:
      - id: review
        when: { if: "size(payload.body) > 0" }
        prompt: "Review {{ message.payload.title }}"
        output: { type: Review }
`;
}

async function validate(text: string, ...flags: string[]) {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'doc.sop.yaml'), text);
  const result = await sop(['validate', ...flags, 'doc.sop.yaml'], { cwd: dir });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('PAYLOAD_UNCHECKED', () => {
  it('warns at the output\'s `format: json`, naming the fields read, where the first is read, and the schema to declare; exit 0', async () => {
    const result = await validate(docSop());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'doc.sop.yaml:20:38: warning PAYLOAD_UNCHECKED: `Doc` is answered as JSON (`format: json`, action `write_doc`) without a schema: ' +
        'the payload fields read from it cannot be checked (`title`, `body`; first `payload.title` at doc.sop.yaml:23:28), ' +
        'and an answer without one fails the run where it is read\n' +
        '  expected: a `schema` for message type Doc\n' +
        '  hint: declare `messages.Doc.schema` with `title`, `body` under `properties` and `required`',
    );
    expect(result.stdout).toContain('  > 20 |         output: { type: Doc, format: json }\n       |                                      ^');
    expect(result.stdout).toMatch(/^1 file: 1 valid, 0 invalid, 0 errors, 1 warning$/m);
  });

  it('is one entry of --json, a warning located at the output', async () => {
    const result = await validate(docSop(), '--json');
    expect(result.code).toBe(0);
    const diagnostics = JSON.parse(result.stdout).result.files[0].diagnostics;
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'PAYLOAD_UNCHECKED', severity: 'warning', file: 'doc.sop.yaml', line: 20, column: 38, pointer: '/roles/writer/actions/0/output/format' }),
    ]);
  });

  it('says nothing once the type declares a schema, or when no field of the payload is read', async () => {
    const schema = '\n    schema:\n      type: object\n      required: [title, body]\n      properties: { title: { type: string }, body: { type: string } }';
    const withSchema = await validate(docSop({ schema }));
    expect(withSchema.code).toBe(0);
    expect(withSchema.stdout).not.toContain('PAYLOAD_UNCHECKED');
    const wholeOutput = await validate(docSop({ artifact: '{{ output }}' }).replace('size(payload.body) > 0', 'true').replace('{{ message.payload.title }}', '{{ message.content }}'));
    expect(wholeOutput.code).toBe(0);
    expect(wholeOutput.stdout).toMatch(/^1 file: 1 valid, 0 invalid, 0 errors, 0 warnings$/m);
  });

  it('follows `item.x` in a foreach over the payload\'s list (the action\'s and an artifact\'s): the items\' fields are named, and where to declare them', async () => {
    const result = await validate(planSop({ list: 'message.payload.tasks' }));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'doc.sop.yaml:18:39: warning PAYLOAD_UNCHECKED: `Plan` is answered as JSON (`format: json`, action `plan`) without a schema: ' +
        'the payload fields read from it cannot be checked (`files`, `tasks`, `files[].path`, `tasks[].file`, `tasks[].goal`; first `payload.files` at doc.sop.yaml:19:32), ' +
        'and an answer without one fails the run where it is read\n' +
        '  expected: a `schema` for message type Plan\n' +
        '  hint: declare `messages.Plan.schema` with `files`, `tasks` under `properties` and `required`, and `path` under the `items` of `files`, and `file`, `goal` under the `items` of `tasks`: ',
    );
    expect(result.stdout).toMatch(/^1 file: 1 valid, 0 invalid, 0 errors, 1 warning$/m);
  });

  it('warns when the payload is itself the list a foreach reads items of (`foreach: message.payload`)', async () => {
    const result = await validate(planSop({ list: 'message.payload', artifacts: false }));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'doc.sop.yaml:18:39: warning PAYLOAD_UNCHECKED: `Plan` is answered as JSON (`format: json`, action `plan`) without a schema: ' +
        'the payload fields read from it cannot be checked (`[].file`, `[].goal`; first `item.file` at doc.sop.yaml:25:27), ' +
        'and an answer without one fails the run where it is read\n' +
        '  expected: a `schema` for message type Plan\n' +
        '  hint: declare `messages.Plan.schema` with `type: array` and `file`, `goal` under its `items` (the payload is the list): ',
    );
  });

  it('says nothing of items once the type declares a schema, or when the list is not a payload\'s', async () => {
    const schema = '{ type: object, required: [tasks], properties: { tasks: { type: array } } }';
    const withSchema = await validate(planSop({ list: 'message.payload.tasks', artifacts: false, schema }));
    expect(withSchema.stdout).toMatch(/^1 file: 1 valid, 0 invalid, 0 errors, 0 warnings$/m);
    const fromInputs = await validate(planSop({ list: 'vars.tasks', artifacts: false }));
    expect(fromInputs.stdout).not.toContain('PAYLOAD_UNCHECKED');
  });
});

/** A planner answering `Plan` as JSON, an engineer with one action run per item of `list`; the plan writes one file per `payload.files` item. */
function planSop(options: { list: string; artifacts?: boolean; schema?: string }): string {
  const artifacts = options.artifacts === false ? '' : '\n        artifacts: [{ foreach: payload.files, path: "{{ item.path }}", content: "{{ output }}" }]';
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: plan, version: 1.0.0, requires: ">=0.2 <1" }
vars: { tasks: [{ file: a.py, goal: a }] }
messages:
  Request: {}
  Plan: { description: The plan${options.schema ? `, schema: ${options.schema}` : ''} }
  Code: {}
start: [{ type: Request, content: "{{ inputs.idea }}" }]
stop_when: { type: Code }
roles:
  planner:
    profile: Planner
    watch: [Request]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: json }${artifacts}
  engineer:
    profile: Engineer
    watch: [Plan]
    actions:
      - id: code
        foreach: ${options.list}
        prompt: "Write {{ item.file }}: {{ item.goal }}"
        output: { type: Code }
`;
}
