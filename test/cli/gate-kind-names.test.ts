import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A gate with two checks, or none, was named by its index from 0 ("gate 0 of gate set `shape` has
 * `matches` and `contains`"), read as a count. It is named by its `name`, or counted from 1.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: gates, version: 0.1.0, requires: ">=0.2 <1" }
messages:
  Topic: {}
  Post: {}
gates:
  shape:
    - { name: has-title, matches: "^# ", contains: "#" }
    - { length: { min: 1 }, assert: "size(output) > 0" }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
stop_when: { type: Post }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Post, format: markdown }, gates: [{ use: shape }] }
`;

describe('sop validate: a gate with more than one check', () => {
  it('is named by its name, else counted from 1', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('sop.yaml:9:42: error SCHEMA_VIOLATION: gate `has-title` of gate set `shape` has `matches` and `contains`');
    expect(result.stdout).toContain('sop.yaml:10:9: error SCHEMA_VIOLATION: gate 2 of gate set `shape` has `assert` and `length`');
  });
});
