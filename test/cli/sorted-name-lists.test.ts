import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * The names a message lists (`expected: declared: ...`, `declared inputs: ...`, `an input the SOP
 * declares: ...`) were printed nearest to the misspelling first, else in declaration order: the
 * same list read differently at each mistake. They are sorted, everywhere, the nearest name being
 * the hint's.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: lists, version: 1.0.0 }
inputs:
  topic: { description: what to write about }
  audience: { description: who reads it }
messages:
  Topic: { description: the topic }
  Summary: { description: the summary }
  Draft: { description: a draft }
start: [{ type: Topc, content: "{{ inputs.topic }}" }]
roles:
  writer:
    profile: Writer
    watch: [Sumary]
    actions:
      - id: write
        prompt: "Write about {{ inputs.topik }} for {{ inputs.audience }}"
        output: { type: Draft, format: markdown }
stop_when: { type: Draft }
`;

function project(files: Record<string, string>): string {
  const cwd = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(cwd, name), text);
  return cwd;
}

describe('lists of names in messages are sorted', () => {
  it('`sop validate`: two misspelt types list the declared types in one order; the inputs sorted too; exit 3', async () => {
    const result = await sop(['validate', 'lists.yaml'], { cwd: project({ 'lists.yaml': SOP }) });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('lists.yaml:11:17: error MESSAGE_TYPE_UNDECLARED: message type `Topc` is not declared\n  expected: declared: Draft, Summary, Topic\n  hint: did you mean `Topic`?');
    expect(result.stdout).toContain('lists.yaml:15:13: error MESSAGE_TYPE_UNDECLARED: message type `Sumary` is not declared\n  expected: declared: Draft, Summary, Topic\n  hint: did you mean `Summary`?');
    expect(result.stdout).toMatch(/lists\.yaml:18:\d+: error INPUT_UNDECLARED: .*`topik`.*\n {2}expected: declared inputs: audience, topic\n {2}hint: did you mean `topic`\?/);
  });

  it('`sop test`: an input the SOP does not declare lists the declared ones sorted (TEST_INVALID, exit 2)', async () => {
    const fixed = SOP.replace('type: Topc', 'type: Topic').replace('[Sumary]', '[Topic]').replace('inputs.topik', 'inputs.topic');
    const testFile = 'apiVersion: sop-test/v1\nsop: lists.yaml\ncases:\n  - name: writes\n    inputs: { topic: tea, audience: all, tone: dry }\n';
    const result = await sop(['test', 'lists.test.yaml'], { cwd: project({ 'lists.yaml': fixed, 'lists.test.yaml': testFile }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lists.test.yaml:5:42: error INPUT_INVALID: the SOP has no input `tone`\n  expected: an input the SOP declares: audience, topic');
  });
});
