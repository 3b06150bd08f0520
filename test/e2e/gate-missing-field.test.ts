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
});
