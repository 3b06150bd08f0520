import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A field written two spaces too far left, at the indentation of the mapping above it (`format:`
 * under the action, below its `output:`; `enabled:` under the gate, below its `human:`): YAML makes
 * it a field of the outer mapping, and `sop validate` said "remove it", which drops the setting.
 * The hint now names the mapping it belongs to, its line, and to indent it (the real CLI).
 */
afterAll(removeTempDirs);

/** `sop validate sop.yaml` (with `flags`) in a fresh folder holding `text` as sop.yaml: the result, and stdout and stderr as one text. */
async function validateSop(prefix: string, text: string, flags: string[] = []): Promise<CliResult & { output: string }> {
  const dir = tempDir(prefix);
  writeFileSync(path.join(dir, 'sop.yaml'), text);
  const result = await sop(['validate', 'sop.yaml', ...flags], { cwd: dir });
  return { ...result, output: result.stdout + result.stderr };
}

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
    const { code, output } = await validateSop('sop-dedented-', SOP);
    expect(code, output).toBe(3);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).toContain('sop.yaml:17:9: error SCHEMA_UNKNOWN_FIELD: unknown field `format`');
    expect(output).toContain('hint: `format` belongs to `output` on line 15: indent `format:` under `output:`, as its other fields');
    expect(output).toContain('sop.yaml:22:13: error SCHEMA_UNKNOWN_FIELD: unknown field `enabled`');
    expect(output).toContain('hint: `enabled` belongs to `human` on line 20: indent `enabled:` under `human:`, as its other fields');
    expect(output).not.toContain('remove it');
  });

  it('gives the same hint in the --json envelope', async () => {
    const result = await validateSop('sop-dedented-', SOP, ['--json']);
    expect(result.code, result.stderr).toBe(3);
    expect(JSON.stringify(envelopeOf(result))).toContain('`format` belongs to `output` on line 15: indent `format:` under `output:`, as its other fields');
  });

  it('keeps "remove it" for a field that no mapping above takes', async () => {
    const { code, output } = await validateSop('sop-dedented-', SOP.replace('        format: markdown\n', '        colour: blue\n').replace('            enabled: true\n', ''));
    expect(code, output).toBe(3);
    expect(output).toContain('unknown field `colour`');
    expect(output).toContain('hint: remove it');
  });

  it('an unknown field one of whose words names a known one (`template_engine` under `settings`) is hinted that one, not "remove it", in text and --json', async () => {
    const text = SOP.replace('        format: markdown\n', '').replace('            enabled: true\n', '').replace('stop_when:', 'settings:\n  template_engine: liquid\nstop_when:');
    const { code, output } = await validateSop('sop-unknown-word-', text);
    expect(code, output).toBe(3);
    expect(output).toMatch(/^sop\.yaml:22:3: error SCHEMA_UNKNOWN_FIELD: unknown field `template_engine`\n {2}expected: one of: [^\n]*templates[^\n]*\n {2}hint: did you mean `templates`\?$/m);
    expect(output).not.toContain('remove it');
    expect(output).not.toMatch(STACK_LINE);
    const json = await validateSop('sop-unknown-word-', text, ['--json']);
    expect(JSON.stringify(envelopeOf(json))).toContain('"hint":"did you mean `templates`?"');
  });
});

/**
 * The opposite slip: a field indented as a line of the block scalar above it (`output:` under
 * `prompt: |`). YAML reads it as the prompt's text: a required field was "missing" at the action
 * (although written), an optional one was dropped without a word. `sop validate` now names the line,
 * the block and the fix (dedent); prose after the line, or a field the mapping has, stays text.
 */
const BLOCKS = `apiVersion: sop/v1
kind: SOP
metadata: { name: blocks, version: 0.1.0 }
messages:
  Idea: { description: the idea }
  Draft: { description: the draft }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    goal: >
      Write clear drafts.
      watch: [Idea]
    actions:
      - id: write_draft
        prompt: |
          Write about {{ message.content }}.
          output:
            type: Draft
      - id: polish
        prompt: |
          Polish it.
          max_runs: 2
        output: { type: Draft }
      - id: answer
        prompt: |
          Answer as:
          output: the draft
          Then stop.
        output: { type: Draft }
stop_when: { type: Draft }
`;

describe('sop validate: a field indented into the block scalar above it', () => {
  it('names the line, the block and the dedent: a required field as the missing one, an optional one as a warning', async () => {
    const { code, output } = await validateSop('sop-block-field-', BLOCKS);
    expect(code, output).toBe(3);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).toContain([
      'sop.yaml:13:7: error SCHEMA_MISSING_FIELD: `watch:` is indented as a line of `goal: >` (line 11): YAML reads it as that text, so the field is missing',
      '  expected: `watch:` at column 5, as `goal:` on line 11',
      '  hint: dedent `watch:` and the lines under it 2 spaces left, out of the text of `goal`',
    ].join('\n'));
    expect(output).toContain([
      'sop.yaml:18:11: error SCHEMA_MISSING_FIELD: `output:` is indented as a line of `prompt: |` (line 16): YAML reads it as that text, so the field is missing',
      '  expected: `output:` at column 9, as `prompt:` on line 16',
      '  hint: dedent `output:` and the lines under it 2 spaces left, out of the text of `prompt`',
    ].join('\n'));
    expect(output).toContain('sop.yaml:23:11: warning FIELD_IN_TEXT: `max_runs:` is indented as a line of `prompt: |` (line 21): YAML reads it as that text, not as a field');
    // Said once, where it is written: not also "add `output:` here" at the action.
    expect(output).not.toContain('missing required field');
    // `output: the draft` followed by prose, in an action with its `output`, is prompt text.
    expect(output).not.toMatch(/sop\.yaml:2[78]:/);
    expect(output).toContain('1 file: 0 valid, 1 invalid, 2 errors, 1 warning');
  });

  it('the warning alone leaves the SOP valid (exit 0), and --json gives it with its place', async () => {
    const result = await validateSop('sop-block-field-', BLOCKS.replace('      Write clear drafts.\n      watch: [Idea]\n', '      Write clear drafts.\n    watch: [Idea]\n').replace('          output:\n            type: Draft\n', '        output:\n          type: Draft\n'), ['--json']);
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.stringify(envelopeOf(result))).toContain('"code":"FIELD_IN_TEXT","severity":"warning","message":"`max_runs:` is indented as a line of `prompt: |` (line 21): YAML reads it as that text, not as a field","file":"sop.yaml","line":23,"column":11');
  });
});

/**
 * Every field of a mapping written at its key's column (`output:`, then `type:` and `format:` below
 * it, not indented): YAML reads `output` as empty. `sop validate` said "expected a mapping, got null"
 * with no hint, and "remove it" at `type` and `format`, which deletes the output. Each now says to
 * indent them under `output:`; following that gives a valid SOP.
 */
const EMPTY = `apiVersion: sop/v1
kind: SOP
metadata: { name: empty, version: 0.1.0 }
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
        artifacts: [{ path: draft.md }]
stop_when: { type: Draft }
`;

describe('sop validate: a mapping whose fields are all written at its own column', () => {
  it('says at the empty key and at each field to indent them under it, not to remove them', async () => {
    const dir = tempDir('sop-empty-mapping-');
    writeFileSync(path.join(dir, 'sop.yaml'), EMPTY);
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(3);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).toContain([
      'sop.yaml:15:16: error SCHEMA_TYPE: expected a mapping, got null',
      '  expected: a mapping',
      '  hint: `type:`, `format:` (line 16) are written at the column of `output:`, so YAML reads `output` as empty: indent them under `output:`',
    ].join('\n'));
    expect(output).toContain('sop.yaml:16:9: error SCHEMA_UNKNOWN_FIELD: unknown field `type`');
    expect(output).toContain('hint: `type` belongs to `output` on line 15: indent `type:` under `output:`, which is empty without it');
    expect(output).toContain('sop.yaml:17:9: error SCHEMA_UNKNOWN_FIELD: unknown field `format`');
    expect(output).toContain('hint: `format` belongs to `output` on line 15: indent `format:` under `output:`, which is empty without it');
    expect(output).not.toContain('remove it');

    writeFileSync(path.join(dir, 'sop.yaml'), EMPTY.replace('        type: Draft\n        format: markdown\n', '          type: Draft\n          format: markdown\n'));
    const fixed = await sop(['validate', 'sop.yaml'], { cwd: dir });
    expect(fixed.code, fixed.stdout).toBe(0);
  });
});
