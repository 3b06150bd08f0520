import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A newcomer's `contains: "## Sources"` gate was drawn by `sop graph` as an "assert gate", a word
 * their SOP never wrote: a shorthand is drawn by the name it was written with.
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
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Article, format: markdown }
        gates:
          - { name: has-sources, contains: "## Sources", on_fail: { revise: 2 } }
          - { name: has-title, matches: "^# " }
          - { name: long-enough, length: { min: 40 } }
          - { name: not-empty, assert: "size(output) > 0" }
stop_when: { type: Article }
`;

describe('sop graph names a shorthand gate as written', () => {
  it('contains, matches and length gates are drawn as such; an assert stays an assert', async () => {
    const cwd = tempDir('sop-graph-gates-');
    writeFileSync(path.join(cwd, 'editorial.yaml'), SOP);
    for (const format of ['mermaid', 'dot']) {
      const result = await sop(['graph', 'editorial.yaml', '--format', format], { cwd });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stdout).toContain('contains gate: has-sources');
      expect(result.stdout).toContain('matches gate: has-title');
      expect(result.stdout).toContain('length gate: long-enough');
      expect(result.stdout).toContain('assert gate: not-empty');
      expect(result.stdout).not.toContain('assert gate: has-sources');
    }
  });
});
