import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * A JSON answer that passes its schema but lacks a field an artifact's template reads (the schema
 * does not require `title`; the artifact prints `{{ payload.title }}`) is re-asked like an answer
 * that breaks the schema, within `output.max_attempts`, and the run fails only once every attempt
 * lacked it, naming role, action, artifact, the template's position and the field.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: doc-writer, version: 1.0.0 }
messages:
  Request: { description: What to write about }
  Doc:
    description: A document
    schema:
      type: object
      properties:
        title: { type: string }
        body: { type: string }
        sections: { type: array, items: { type: object } }
      required: [body]
start:
  - { type: Request, content: "{{ inputs.idea }}" }
stop_when: { type: Doc }
roles:
  writer:
    profile: Writer
    goal: Write documents
    watch: [Request]
    actions:
      - id: write_doc
        prompt: "Write about {{ message.content }}"
        output: { type: Doc, format: json }
        gates:
          - { name: has-body, assert: "size(payload.body) > 0", on_fail: { revise: 1 } }
        artifacts:
          - path: doc.md
            content: "# {{ payload.title }}\\n\\n{{ payload.body }}\\n"
`;

/** A project folder with the SOP and a script of these answers. */
function projectWith(answers: string[], sop = SOP): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'doc.sop.yaml'), sop);
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n${answers.map((answer) => `  - ${answer}\n`).join('')}`);
  return cwd;
}

const RUN = ['run', 'doc.sop.yaml', 'cats', '--model', 'script:answers.yaml', '--workspace', 'out'];

describe.concurrent('an answer that lacks a field an artifact reads', () => {
  it('is asked again with the missing field named; the answer that has it is written', async () => {
    const cwd = projectWith([
      '{ role: writer, action: write_doc, output: { body: "Cats sleep." } }',
      '{ role: writer, action: write_doc, reask: { title: "Cats", body: "Cats sleep." } }',
    ]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('writer write_doc: invalid output, asking again (attempt 1 of 3)');
    expect(readFileSync(path.join(cwd, 'out', 'doc.md'), 'utf8')).toBe('# Cats\n\nCats sleep.\n');
    const { events } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'output-invalid')).toEqual([
      expect.objectContaining({ role: 'writer', action: 'write_doc', attempt: 1, errors: ['`title` is missing: the artifact `doc.md` is written from `payload.title`'] }),
    ]);
    // Nothing was written from the answer that did not fit.
    expect(events.filter((event) => event.type === 'artifact-written')).toHaveLength(1);
  });

  it('fails the run once every attempt lacks it: one located message naming role, action, artifact and field', async () => {
    const cwd = projectWith(['{ role: writer, action: write_doc, output: { body: "Cats sleep." } }', '{ role: writer, action: write_doc, reask: { body: "Still no title." } }']);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain(
      'doc.sop.yaml:31:28: error OUTPUT_INVALID: role writer, action write_doc: artifact `doc.md` cannot be written from the output after 3 attempts: ' +
        'its template reads `payload.title`, and the output has no field `title`\n' +
        '  hint: list `title` under `required` in the schema of message type Doc (the model is then asked for it up front), or let the template do without it',
    );
    expect(result.stderr.match(/error /g)).toHaveLength(1);
    expect(existsSync(path.join(cwd, 'out', 'doc.md'))).toBe(false);
    const { events, report } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'output-invalid').map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(report.usage.byAction.write_doc).toMatchObject({ calls: 3, reasks: 2 });
  });

  /** The SOP with one file per item of `payload.sections` before `doc.md`. */
  const SECTIONS_SOP = SOP.replace(
    '          - path: doc.md\n',
    '          - path: "sections/{{ item.name }}.md"\n            foreach: payload.sections\n            content: "{{ item.text }}"\n          - path: doc.md\n',
  );

  it('an item of an artifact foreach that lacks a field is asked again too', async () => {
    const cwd = projectWith(
      [
        '{ role: writer, action: write_doc, output: { title: Cats, body: "b", sections: [{ name: one, text: "1" }, { name: two }] } }',
        '{ role: writer, action: write_doc, reask: { title: Cats, body: "b", sections: [{ name: one, text: "1" }, { name: two, text: "2" }] } }',
      ],
      SECTIONS_SOP,
    );
    const result = await run(cwd, RUN, {});
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'sections', 'two.md'), 'utf8')).toBe('2');
    const { events } = lastRun(cwd);
    expect(events.find((event) => event.type === 'output-invalid')?.errors).toEqual([
      'the item at index 1 of `payload.sections` has no `text`: the artifact `sections/two.md` is written from `item.text` for each item',
    ]);
  });

  it('an answer without the list an artifact foreach reads is asked again too', async () => {
    const cwd = projectWith(
      [
        '{ role: writer, action: write_doc, output: { title: Cats, body: "b" } }',
        '{ role: writer, action: write_doc, reask: { title: Cats, body: "b", sections: [{ name: one, text: "1" }] } }',
      ],
      SECTIONS_SOP,
    );
    const result = await run(cwd, RUN, {});
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'sections', 'one.md'), 'utf8')).toBe('1');
    const { events } = lastRun(cwd);
    expect(events.find((event) => event.type === 'output-invalid')?.errors).toEqual([
      '`sections` is missing: the artifact `sections/{{ item.name }}.md` is written from `payload.sections` (its `foreach`)',
    ]);
  });

  it('an artifact `if` reading a field through a CEL macro that an item lacks is asked again too', async () => {
    const cwd = projectWith(
      [
        '{ role: writer, action: write_doc, output: { title: Cats, body: "b", sections: [{ name: one, draft: false }, { name: two }] } }',
        '{ role: writer, action: write_doc, reask: { title: Cats, body: "b", sections: [{ name: one, draft: false }, { name: two, draft: true }] } }',
      ],
      SOP.replace('          - path: doc.md\n', '          - path: drafts.md\n            if: "payload.sections.exists(s, s.draft)"\n            content: "drafts"\n          - path: doc.md\n'),
    );
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'drafts.md'), 'utf8')).toBe('drafts');
    const { events } = lastRun(cwd);
    expect(events.find((event) => event.type === 'output-invalid')?.errors).toEqual([
      'the item at index 1 of `sections` has no field `draft`: the artifact `drafts.md` is written from `payload.sections[].draft` (its `if`)',
    ]);
  });
});
