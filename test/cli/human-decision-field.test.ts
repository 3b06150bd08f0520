import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A newcomer's editorial test file scripts its human gate as `approve: true` or `reject: "..."` beside
 * `gate:`. The hint was "remove it", and the answer was then also said to answer nothing: the hint
 * now writes the `human:` answer meant, and following it makes the file valid.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: editorial, version: 0.1.0 }
messages:
  Topic: { description: what to write about }
  Article: { description: the article }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  editor:
    profile: Editor
    watch: [Topic]
    actions:
      - id: edit
        prompt: "Write about {{ message.content }}"
        output: { type: Article, format: markdown }
        gates:
          - name: chief-approves
            human: { prompt: Publish it? }
            on_fail: { revise: 1 }
stop_when: { type: Article }
`;

function project(decision: string): string {
  const cwd = tempDir('sop-human-field-');
  writeFileSync(path.join(cwd, 'editorial.yaml'), SOP);
  writeFileSync(
    path.join(cwd, 'editorial.test.yaml'),
    `apiVersion: sop-test/v1\ncases:\n  - name: approved\n    inputs: { idea: tides }\n    answers:\n      - { role: editor, action: edit, gate: chief-approves, ${decision} }\n    expect: { status: completed }\n`,
  );
  return cwd;
}

describe('a scripted human decision written as its own field', () => {
  it('`approve: true`, `reject: "..."`, `approved: false`, `edit:` are hinted as the `human:` answer meant, and nothing else is reported', async () => {
    const cases: Array<[string, string, string]> = [
      ['approve: true', 'approve', 'human: approve'],
      ['reject: "add a source"', 'reject', 'human: { reject: "add a source" }'],
      ['approved: false', 'approved', 'human: { reject: "what to change" }'],
      ['edit: "# Tides"', 'edit', 'human: { edit: ... }'],
    ];
    for (const [written, field, meant] of cases) {
      const result = await sop(['validate', 'editorial.test.yaml'], { cwd: project(written) });
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
      expect(result.stdout).toContain(`editorial.test.yaml:6:61: error SCHEMA_UNKNOWN_FIELD: unknown field \`${field}\`\n`);
      expect(result.stdout).toContain(`  hint: a human gate's scripted decision is the answer's \`human\`: write \`${meant}\` in place of \`${field}:\`\n`);
      expect(result.stdout).not.toContain('says nothing to answer');
      expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
    }
    // Written as the hint says, the case runs and passes.
    const fixed = await sop(['test', 'editorial.yaml'], { cwd: project('human: approve') });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('✓ approved');
  });
});
