import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { positionOf } from '../spec/helpers.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * An indentation mistake in a YAML file is one error, at the first character of the line to
 * change. The `yaml` parser places it at the end of the node before (column 1 of the line, or a
 * blank line above it) and reports again each line after it that lines up with the misplaced one:
 * `sop validate` printed two or three errors, on the wrong line.
 */
afterAll(removeTempDirs);

const TWO_ROLES = `apiVersion: sop/v1
kind: SOP
metadata: { name: demo, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Summary: { description: a summary }
  Review: { description: a review }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    actions:
      - id: summarize
        prompt: |
          Summarize {{ message.content }}
          in three lines.

        output: { type: Summary }

  reviewer:
    profile: Reviewer
    watch: [Summary]
    actions:
      - id: review
        prompt: "Review {{ message.content }}"
        output: { type: Review }
stop_when: { type: Review }
`;

/** TWO_ROLES with the `occurrence`-th `line` (a whole line) written as `replacement`. */
function withLine(line: string, replacement: string, occurrence = 1): string {
  const lines = TWO_ROLES.split('\n');
  const indexes = lines.flatMap((text, index) => (text === line ? [index] : []));
  if (indexes.length < occurrence) throw new Error(`no line ${JSON.stringify(line)}`);
  lines[indexes[occurrence - 1]!] = replacement;
  return lines.join('\n');
}

/** `file:line:column` of the `occurrence`-th `needle` in `text`. */
function at(file: string, text: string, needle: string, occurrence = 1): string {
  const { line, column } = positionOf(text, needle, occurrence);
  return `${file}:${line}:${column}`;
}

/** The printed errors' first lines. */
function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /^\S+:\d+:\d+: error /.test(line));
}

async function validate(text: string): Promise<{ code: number | null; errors: string[]; output: string }> {
  const dir = tempDir('sop-indent-');
  writeFileSync(path.join(dir, 'sop.yaml'), text);
  const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(STACK_LINE);
  return { code: result.code, errors: errorLines(output), output };
}

describe('sop validate: an indentation mistake is one error at the line to change', () => {
  it('a role one space too far, after a blank line: at the role, not on the blank line above it', async () => {
    const text = withLine('  reviewer:', '   reviewer:');
    const result = await validate(text);
    expect(result.code).toBe(3);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'reviewer:')}: error YAML_SYNTAX: \`reviewer\` at column 4 lines up with no key or \`-\` item above it`]);
    expect(result.output).toContain('  expected: column 5, as `actions` on line 13, or column 3, as `writer` on line 10');
  });

  it('a first key indented one space more than the keys after it: once (not for each key after it), naming the first key\'s column', async () => {
    const text = withLine('    profile: Writer', '     profile: Writer');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'watch: [UserRequirement]')}: error YAML_SYNTAX: \`watch\` at column 5 lines up with no key or \`-\` item above it`]);
    expect(result.output).toContain('  expected: column 6, as `profile` on line 11, or column 3, as `writer` on line 10');
  });

  it('a key one space short of its mapping\'s column: once, at the key', async () => {
    const text = withLine('    watch: [UserRequirement]', '   watch: [UserRequirement]');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'watch: [UserRequirement]')}: error YAML_SYNTAX: \`watch\` at column 4 lines up with no key or \`-\` item above it`]);
  });

  // The parser cannot tell whether the `-` line or the key below it is off, and named the key below: the line under the slip.
  it('a list item\'s `-` one space short: once, at the `-` (was at the key below it), the other lists telling its column', async () => {
    const text = withLine('      - id: summarize', '     - id: summarize');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, '- id: summarize')}: error YAML_SYNTAX: \`- id\` at column 6 puts \`id\` out of line with \`prompt\` below it (column 9, line 15)`]);
    expect(result.output).toContain('  expected: the `-` at column 7, 2 right of `actions` on line 13, as the file\'s other lists are indented');
    expect(result.output).toContain('  hint: move this line 1 space right: the keys of one list item start at the same column');
  });

  it('a list item\'s `-` one space too far: at the `-` (was at the key below it)', async () => {
    const text = withLine('      - id: review', '       - id: review');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, '- id: review')}: error YAML_SYNTAX: \`- id\` at column 8 puts \`id\` out of line with \`prompt\` below it (column 9, line 26)`]);
    expect(result.output).toContain('  hint: move this line 1 space left: the keys of one list item start at the same column');
  });

  it('a first `-` one space too far with items after it at the right column: once, at that `-` (was at the key below it and at the next item)', async () => {
    const text = TWO_ROLES.replace('        output: { type: Summary }\n', '        output: { type: Summary }\n      - id: polish\n        prompt: "Polish {{ message.content }}"\n        output: { type: Summary }\n').replace('      - id: summarize', '       - id: summarize');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, '- id: summarize')}: error YAML_SYNTAX: \`- id\` at column 8 puts \`id\` out of line with \`prompt\` below it (column 9, line 15)`]);
  });

  /** TWO_ROLES with the writer's actions `summarize` and then `items` (`[indent, id]`: the spaces before the `-`; 6 lines it up). */
  function writerActions(items: Array<[number, string]>, first = 7): string {
    const action = (indent: number, id: string): string => `${' '.repeat(indent)}- id: ${id}\n        prompt: "${id} {{ message.content }}"\n        output: { type: Summary }\n`;
    return TWO_ROLES.replace(/      - id: summarize\n[\s\S]*?output: \{ type: Summary \}\n/, action(first, 'summarize') + items.map(([indent, id]) => action(indent, id)).join(''));
  }

  it('a first `-` one space off and later ones in its list off too: every one at once, each at its `-` (the later ones showed only once the first was fixed)', async () => {
    const text = writerActions([[6, 'polish'], [7, 'shorten'], [5, 'check']]);
    const result = await validate(text);
    expect(result.code).toBe(3);
    expect(result.errors).toEqual([
      `${at('sop.yaml', text, '- id: summarize')}: error YAML_SYNTAX: \`- id\` at column 8 puts \`id\` out of line with \`prompt\` below it (column 9, line 15)`,
      `${at('sop.yaml', text, '- id: shorten')}: error YAML_SYNTAX: \`- id\` at column 8 puts \`id\` out of line with \`prompt\` below it (column 9, line 21)`,
      `${at('sop.yaml', text, '- id: check')}: error YAML_SYNTAX: \`- id\` at column 6 puts \`id\` out of line with \`prompt\` below it (column 9, line 24)`,
    ]);
    expect(result.output).toContain('  hint: move this line 1 space right: the keys of one list item start at the same column');
    // Moved as each says, the file is valid.
    const fixed = await validate(writerActions([[6, 'polish'], [6, 'shorten'], [6, 'check']], 6));
    expect(fixed.code, fixed.output).toBe(0);
  });

  it('a later item whose lines are all off with its `-`: the item is to move, not its first line', async () => {
    const text = writerActions([[6, 'polish'], [5, 'check']]).replace(/- id: check\n {8}prompt(.*)\n {8}output/, '- id: check\n       prompt$1\n       output');
    const result = await validate(text);
    expect(result.errors[1]).toBe(`${at('sop.yaml', text, '- id: check')}: error YAML_SYNTAX: \`- id\` at column 6 is out of line with the other items of its list (the \`-\` on line 14 is meant at column 7)`);
    expect(result.output).toContain('  hint: move this item 1 space right, its `-` line and the lines below it: the `-` items of one list start at the same column');
  });

  it('past 20 more slipped items in one list, the 20th counts the rest (a file of many roles, lists lined up)', async () => {
    const roles = Array.from({ length: 30 }, (_, k) => `  r${k}:\n    profile: R\n    watch: [Summary]\n    actions:\n      - id: x${k}\n        prompt: "x"\n        output: { type: Review }\n`).join('');
    const items = Array.from({ length: 49 }, (_, k): [number, string] => [k % 2 === 0 ? 6 : 5, `a${k}`]);
    const text = writerActions(items).replace('roles:\n', `roles:\n${roles}`);
    const result = await validate(text);
    // The terminal shows the first 20 problems of a file; --json lists them all.
    expect(result.errors).toHaveLength(20);
    expect(result.output).toContain('... and 1 more problem not shown');
    const dir = tempDir('sop-indent-');
    writeFileSync(path.join(dir, 'sop.yaml'), text);
    const json = await sop(['validate', 'sop.yaml', '--json'], { cwd: dir });
    const diagnostics = (JSON.parse(json.stdout) as { result: { files: Array<{ diagnostics: Array<{ code: string; line: number; column: number; message: string; hint?: string }> }> } }).result.files[0]!.diagnostics;
    expect(diagnostics).toHaveLength(21);
    const last = diagnostics[20]!;
    expect(`sop.yaml:${last.line}:${last.column}`).toBe(at('sop.yaml', text, '- id: a39'));
    expect(last.code).toBe('YAML_SYNTAX');
    expect(JSON.stringify(last)).toContain('(4 more items of this list below are off too: validate again once these are moved)');
  });

  it('a `-` off in a file whose lists start at their key\'s column: at the `-`, expected at that column', async () => {
    const text = TWO_ROLES.replace(/^( +)actions:\n\1  - /gm, '$1actions:\n$1- ').replace(/^(        )(prompt|output)/gm, '      $2').replace('    - id: review', '     - id: review');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, '- id: review')}: error YAML_SYNTAX: \`- id\` at column 6 puts \`id\` out of line with \`prompt\` below it (column 7, line 26)`]);
    expect(result.output).toContain('  expected: the `-` at column 5, 0 right of `actions` on line 24, as the file\'s other lists are indented');
  });

  it('a key of a list item one space deeper than the first: once, at that key (was twice, at the value above it)', async () => {
    const text = withLine('        prompt: "Review {{ message.content }}"', '         prompt: "Review {{ message.content }}"');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'prompt: "Review')}: error YAML_SYNTAX: \`prompt\` at column 10 lines up with no key or \`-\` item above it`]);
  });

  // The parser's own words were "All mapping items must start at the same column", with no column named.
  it('a list item\'s key pulled back to its `-` column: once, at the key, naming the item\'s column and the list\'s', async () => {
    const text = withLine('        output: { type: Review }', '      output: { type: Review }');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'output: { type: Review }')}: error YAML_SYNTAX: \`output\` at column 7 lines up with the \`-\` on line 25, where only a \`-\` item can go`]);
    expect(result.output).toContain('expected: column 9, as `prompt` on line 26, or column 5, as `actions` on line 24');
  });

  it('a line mis-indented right after a `|` block: at that line, not on the blank line ending the block', async () => {
    const text = withLine('        output: { type: Summary }', '       output: { type: Summary }');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'output: { type: Summary }')}: error YAML_SYNTAX: \`output\` at column 8 lines up with no key or \`-\` item above it`]);
    expect(result.output).toContain('  expected: column 9, as `prompt` on line 15, or column 7, as `-` on line 14');
  });

  it('two mistakes in two roles: each once', async () => {
    const text = withLine('    actions:', '     actions:', 2).replace('    watch: [UserRequirement]', '   watch: [UserRequirement]');
    const result = await validate(text);
    expect(result.errors).toEqual([
      `${at('sop.yaml', text, 'watch: [UserRequirement]')}: error YAML_SYNTAX: \`watch\` at column 4 lines up with no key or \`-\` item above it`,
      `${at('sop.yaml', text, 'actions:', 2)}: error YAML_SYNTAX: \`actions\` at column 6 lines up with no key or \`-\` item above it`,
    ]);
  });
});

describe('sop validate: other mistakes on the line after a `|` block', () => {
  it('a `}` too many: once, at it (the parser then reported each token after it too)', async () => {
    const text = withLine('        output: { type: Summary }', '        output: { type: Summary }}');
    const result = await validate(text);
    const { line, column } = positionOf(text, 'Summary }}');
    expect(result.errors).toEqual([`sop.yaml:${line}:${column + 'Summary }'.length}: error YAML_SYNTAX: \`}\` closes no \`{\``]);
  });

  it('a `{` never closed: at the `{`, not at the next role below where the parser noticed', async () => {
    const text = withLine('        output: { type: Summary }', '        output: { type: Summary');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, '{ type: Summary\n')}: error YAML_SYNTAX: this \`{\` is never closed`]);
    expect(result.output).toContain('  hint: add the closing `}` (the parser reached line 21 looking for it)');
  });

  it('a nested mapping on one line stays at its value, not moved to the next line', async () => {
    const text = withLine('        output: { type: Summary }', '        output: type: Summary');
    const result = await validate(text);
    expect(result.errors).toEqual([`${at('sop.yaml', text, 'type: Summary')}: error YAML_SYNTAX: YAML syntax error: Nested mappings are not allowed in compact mappings`]);
  });
});

describe('sop test and sop eval: an indentation mistake in their files is one error at the line to change', () => {
  const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

  it('sop test: a case key one space too far', async () => {
    const dir = tempDir('sop-indent-test-');
    const text = ['apiVersion: sop-test/v1', `sop: ${SOP}`, 'cases:', '  - name: first', '    inputs: { idea: owls }', '', '  - name: second', '     inputs: { idea: bats }', '    expect: { status: completed }', ''].join('\n');
    writeFileSync(path.join(dir, 'cases.test.yaml'), text);
    const result = await sop(['test', 'cases.test.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code).toBe(2);
    expect(output).not.toMatch(STACK_LINE);
    expect(errorLines(output)).toEqual(['cases.test.yaml:8:6: error YAML_SYNTAX: `inputs` at column 6 lines up with no key or `-` item above it']);
  });

  it('sop eval: a case\'s `-` one space too far (was twice: at the `-` and at the line after it)', async () => {
    const dir = tempDir('sop-indent-eval-');
    writeFileSync(path.join(dir, 'cases.yaml'), ['apiVersion: sop-eval/v1', 'cases:', '  - name: spring', '    inputs: { idea: spring }', '', '   - name: autumn', '    inputs: { idea: autumn }', ''].join('\n'));
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code).toBe(2);
    expect(output).not.toMatch(STACK_LINE);
    expect(errorLines(output)).toEqual(['cases.yaml:6:4: error YAML_SYNTAX: `- name` at column 4 lines up with no key or `-` item above it']);
  });
});
