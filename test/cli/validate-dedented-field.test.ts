import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A field written two spaces too far left, at the indentation of the mapping above it (`format:`
 * under the action, below its `output:`; `enabled:` under the gate, below its `human:`): YAML makes
 * it a field of the outer mapping, and `sop validate` said "remove it", which drops the setting.
 * The hint now names the mapping it belongs to, its line, and to indent it (the real CLI).
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: dedented, version: 0.1.0 }
messages:
  Idea: { description: the idea }
  Draft: { description: the draft }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write_draft
        prompt: "Write about {{ message.content }}."
        output:
          type: Draft
        format: markdown
        gates:
          - name: sign-off
            human:
              prompt: Publish it?
            enabled: true
stop_when: { type: Draft }
`;

describe('sop validate: a field dedented out of the mapping above it', () => {
  it('names the mapping it belongs to and its line, and says to indent it, not to remove it', async () => {
    const dir = tempDir('sop-dedented-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(3);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).toContain('sop.yaml:17:9: error SCHEMA_UNKNOWN_FIELD: unknown field `format`');
    expect(output).toContain('hint: `format` belongs to `output` on line 15: indent `format:` under `output:`, as its other fields');
    expect(output).toContain('sop.yaml:22:13: error SCHEMA_UNKNOWN_FIELD: unknown field `enabled`');
    expect(output).toContain('hint: `enabled` belongs to `human` on line 20: indent `enabled:` under `human:`, as its other fields');
    expect(output).not.toContain('remove it');
  });

  it('gives the same hint in the --json envelope', async () => {
    const dir = tempDir('sop-dedented-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP);
    const result = await sop(['validate', 'sop.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(3);
    expect(JSON.stringify(envelopeOf(result))).toContain('`format` belongs to `output` on line 15: indent `format:` under `output:`, as its other fields');
  });

  it('keeps "remove it" for a field that no mapping above takes', async () => {
    const dir = tempDir('sop-dedented-');
    writeFileSync(path.join(dir, 'sop.yaml'), SOP.replace('        format: markdown\n', '        colour: blue\n').replace('            enabled: true\n', ''));
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(3);
    expect(output).toContain('unknown field `colour`');
    expect(output).toContain('hint: remove it');
  });
});
