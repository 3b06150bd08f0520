import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTestFilesAgainstSops, loadTestFile, runTestFile } from '../../src/testing/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-run-test-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  path.join(dir, 'tiny.yaml'),
  `apiVersion: sop/v1
kind: SOP
metadata: { name: tiny, version: 1.0.0 }
messages:
  Topic: { description: The topic }
  Draft: { description: A short draft }
start: [{ type: Topic, content: owls }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: markdown }
stop_when: { type: Draft }
`,
);
writeFileSync(
  path.join(dir, 'tiny.test.yaml'),
  `apiVersion: sop-test/v1
defaults:
  inputs: { idea: owls }
cases:
  - name: owls
    answers:
      - { role: writer, action: write, output: "# Owls" }
      - { role: writr, action: write, output: "# Owls" }
    expect: { status: completed }
  - name: bats
    answers:
      - { role: writer, action: wrte, output: "# Bats" }
    expect: { status: completed }
`,
);

describe('runTestFile', () => {
  it('returns the warnings of the cases it ran: computed by itself when called alone, the check\'s own (computed once) when given them', async () => {
    const file = loadTestFile(path.join(dir, 'tiny.test.yaml'));
    const alone = await runTestFile(file, { concurrency: 1, filter: 'owls' });
    expect(alone.cases.map((test) => [test.name, test.status])).toEqual([['owls', 'passed']]);
    expect(alone.warnings.map((warning) => [warning.code, warning.line, warning.message])).toEqual([
      ['ANSWER_MISFIT', 8, 'this answer can serve no call: the SOP has no role `writr` (did you mean `writer`?)'],
    ]);

    const { checked } = await checkTestFilesAgainstSops([file]);
    const given = checked.get(file);
    expect(given?.warnings.map((warning) => warning.line)).toEqual([8, 12]);
    const run = await runTestFile(file, { concurrency: 1, checked: given });
    expect(run.cases.map((test) => test.status)).toEqual(['passed', 'passed']);
    expect(run.warnings).toBe(given?.warnings);
  });
});
