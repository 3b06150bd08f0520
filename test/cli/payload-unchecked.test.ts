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
});
