import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * What a user sees when a gate's `assert` reads a field the JSON answer lacks: the gate failed
 * (its `on_fail: stop` stops the run, exit 7) with the field named, not a run failure
 * (EXPRESSION_EVAL, exit 9) that no `on_fail` could handle.
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
        subtitle: { type: string }
        tags: { type: array, items: { type: object } }
      required: [title]
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
          - name: has-subtitle
            assert: "size(payload.subtitle) > 0"
            on_fail: stop
`;

/** A project with the SOP whose gate is `gate` (YAML of one list entry) and a script of these answers. */
function projectWith(gate: string, answers: string[]): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'doc.sop.yaml'), SOP.replace(/        gates:\n[^]*$/, `        gates:\n${gate}`));
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n${answers.map((answer) => `  - ${answer}\n`).join('')}`);
  return cwd;
}

const RUN = ['run', 'doc.sop.yaml', 'cats', '--model', 'script:answers.yaml', '--workspace', 'out'];

describe('a gate assert reading a field the answer lacks', () => {
  it('stops the run as a failed gate (exit 7), naming the field', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'doc.sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write_doc, output: { title: Cats } }\n');
    const result = await run(cwd, ['run', 'doc.sop.yaml', 'cats', '--model', 'script:answers.yaml', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).toContain(
      '[round 1] writer write_doc: gate has-subtitle failed (stop)\n' +
        '    gate "has-subtitle" failed: the output has no field `subtitle` (`size(payload.subtitle) > 0` reads `payload.subtitle`)\n',
    );
    expect(result.stderr).not.toContain('EXPRESSION_EVAL');
    expect(lastRun(cwd).report.status).toBe('gate_stopped');
  });

  it('an assert over several lines is quoted at the line that reads the field, not whole', async () => {
    const cwd = projectWith(
      '          - name: has-subtitle\n            assert: |\n              size(payload.title) > 0 &&\n              size(payload.subtitle) > 0 &&\n              size(payload.title) < 200\n            on_fail: stop\n',
      ['{ role: writer, action: write_doc, output: { title: Cats } }'],
    );
    const result = await run(cwd, RUN, {});
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).toContain(
      '    gate "has-subtitle" failed: the output has no field `subtitle` (`… size(payload.subtitle) > 0 && …` reads `payload.subtitle`)\n',
    );
  });
});

describe.concurrent('a gate reading a field through a CEL macro (`all`, `exists`) that an item of the list lacks', () => {
  it('all: the gate fails naming the list and the field, and its on_fail stops the run (exit 7)', async () => {
    const cwd = projectWith(
      '          - name: named-tags\n            assert: \'payload.tags.all(t, t.name != "")\'\n            on_fail: stop\n',
      ['{ role: writer, action: write_doc, output: { title: Cats, tags: [{ name: pets }, { label: sleepy }] } }'],
    );
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).toContain(
      '[round 1] writer write_doc: gate named-tags failed (stop)\n' +
        '    gate "named-tags" failed: the item at index 1 of `tags` has no field `name` (`payload.tags.all(t, t.name != "")` reads `payload.tags[].name`)\n',
    );
    expect(result.stderr).not.toContain('EXPRESSION_EVAL');
    const { report } = lastRun(cwd);
    expect(report.status).toBe('gate_stopped');
    expect(report.gates['write_doc/named-tags']).toMatchObject({ checks: 1, passed: 0, failed: 1 });
  });

  it('exists: the gate fails and revises; the answer whose items have the field passes', async () => {
    const cwd = projectWith(
      '          - name: one-scored\n            assert: "payload.tags.exists(t, t.score > 3)"\n            on_fail: { revise: 1 }\n',
      [
        '{ role: writer, action: write_doc, attempt: 1, output: { title: Cats, tags: [{ score: 1 }, { name: sleepy }] } }',
        '{ role: writer, action: write_doc, attempt: 2, output: { title: Cats, tags: [{ score: 1 }, { score: 5 }] } }',
      ],
    );
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      '[round 1] writer write_doc: gate one-scored failed (revise)\n' +
        '    gate "one-scored" failed: the item at index 1 of `tags` has no field `score` (`payload.tags.exists(t, t.score > 3)` reads `payload.tags[].score`)\n',
    );
    const { report } = lastRun(cwd);
    expect(report.status).toBe('completed');
    expect(report.gates['write_doc/one-scored']).toMatchObject({ checks: 2, passed: 1, failed: 1 });
  });
});

describe('a human gate whose prompt reads a field the answer lacks', () => {
  it('fails the gate without asking anybody, and its on_fail revises; the answer that has the field is asked about', async () => {
    const cwd = projectWith(
      '          - name: approve\n            human: { prompt: "Publish {{ payload.title }}? Subtitle: {{ payload.subtitle }}" }\n            on_fail: { revise: 1 }\n',
      [
        '{ role: writer, action: write_doc, attempt: 1, output: { title: Cats } }',
        '{ role: writer, action: write_doc, attempt: 2, output: { title: Cats, subtitle: Sleepy } }',
        '{ role: writer, action: write_doc, gate: approve, human: approve }',
      ],
    );
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      '[round 1] writer write_doc: gate approve failed (revise)\n' +
        '    gate "approve" failed: the output has no field `subtitle` (its prompt reads `payload.subtitle`)\n',
    );
    expect(result.stderr).not.toContain('TEMPLATE_RENDER');
    const { events, report } = lastRun(cwd);
    // The reviewer was asked once, about the answer the prompt could describe.
    expect(events.filter((event) => event.type === 'approval-requested').map((event) => event.prompt)).toEqual(['Publish Cats? Subtitle: Sleepy']);
    expect(report.status).toBe('completed');
    expect(report.gates['write_doc/approve']).toMatchObject({ checks: 2, passed: 1, failed: 1 });
  });
});
