import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A newcomer wrote `output:`, then `type: Edited` at `output`'s column, then `format: markdown`
 * two spaces deeper. `sop validate` named `format` ("expected column 9, as `type`"); moving it back
 * as told left `output` empty and gave three more errors. The slip is `type`, outside `output`.
 */
afterAll(removeTempDirs);

const SLIPPED = `apiVersion: sop/v1
kind: SOP
metadata: { name: editor, version: 1.0.0 }
messages:
  Draft: { description: a draft }
  Edited: { description: the edited draft }
start: [{ type: Draft, content: "{{ inputs.idea }}" }]
roles:
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output:
        type: Edited
          format: markdown
stop_when: { type: Edited }
`;

async function validate(text: string): Promise<{ code: number | null; output: string }> {
  const dir = tempDir('sop-empty-key-');
  writeFileSync(path.join(dir, 'sop.yaml'), text);
  const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(STACK_LINE);
  return { code: result.code, output };
}

describe('sop validate: a key left at the column of the empty key above it, with a deeper line under it', () => {
  it('is reported at that key, naming the empty key and both fixes, indenting it first', async () => {
    const result = await validate(SLIPPED);
    expect(result.code).toBe(3);
    expect(result.output).toContain('sop.yaml:16:9: error YAML_SYNTAX: `type` at column 9 is not inside `output` (line 15, its value empty), but `format` below it is indented as if it were\n');
    expect(result.output).toContain('  expected: `type` at column 11, as `format` on line 17: both keys of `output`\n');
    expect(result.output).toContain('  hint: indent `type:` 2 spaces right, under `output:`, with any other line meant inside `output`; or, if `output` is meant empty, move `format` back to column 9');
    expect(result.output).not.toContain('expected: column 9');
    expect(result.output).toContain('1 error,');
  });

  it('following the hint (indenting `type`) makes the file valid', async () => {
    const result = await validate(SLIPPED.replace('\n        type: Edited\n', '\n          type: Edited\n'));
    expect(result.output).toContain('sop.yaml: valid');
    expect(result.code).toBe(0);
  });

  it('a key above with a value of its own is not taken for an empty one: the plain message stays', async () => {
    const result = await validate(SLIPPED.replace('        output:\n', '        output: Edited\n'));
    expect(result.code).toBe(3);
    expect(result.output).toContain('sop.yaml:17:11: error YAML_SYNTAX: `format` at column 11 lines up with no key or `-` item above it');
    expect(result.output).not.toContain('its value empty');
  });
});
