import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * What a template reads of `files` (the files an action's `reads` put in its context), checked by
 * `sop validate` where it can be known (src/spec/rules/file-reads.ts). `files["out/" + name]` passed
 * validate and failed every run at that line: Liquid reads it as `files["out/"]`.
 */
function project(actions: string, options: { templates?: 'handlebars'; files?: Record<string, string> } = {}): string {
  const dir = tempDir('sop-file-reads-');
  for (const [name, text] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  writeFileSync(
    path.join(dir, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: reads, version: 0.1.0, requires: ">=0.2 <1" }',
      ...(options.templates ? [`settings: { templates: ${options.templates} }`] : []),
      'inputs:',
      '  name: { type: string }',
      'messages:',
      '  Topic: {}',
      '  Draft: {}',
      'start:',
      '  - { type: Topic, content: "{{ inputs.name }}" }',
      'roles:',
      '  writer:',
      '    profile: Writer',
      '    watch: [Topic]',
      '    actions:',
      actions,
      'stop_when: { type: Draft }',
      '',
    ].join('\n'),
  );
  return dir;
}

/** The diagnostic headers (`FILE:LINE:COL: error CODE: message`) of an output. */
function headers(output: string): string[] {
  return output.split('\n').filter((line) => /^\S+:\d+:\d+: (error|warning) /.test(line));
}

describe('sop validate: what a template reads of `files`', () => {
  it('a Liquid `files["out/" + name]` is an error at the read: Liquid reads `files["out/"]` and ignores the rest', async () => {
    const cwd = project(['      - id: draft', '        reads: [notes.md]', '        prompt: |', '          Notes: {{ files["notes.md"] }}', '          Out: {{ files["out/" + inputs.name] }}', '        output: { type: Draft }'].join('\n'));
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stdout)).toEqual([
      'sop.yaml:20:19: error TEMPLATE_SYNTAX: `files["out/" + inputs.name]`: Liquid has no operators or filters inside `[...]`: this reads `files["out/"]` and ignores the rest',
    ]);
    expect(result.stdout).toContain('  hint: build the name first: `{% assign path = "out/" | append: ... %}{{ files[path] }}`');
  });

  it('a name computed at run time, in an action whose `reads` are literal paths: a warning at the read, saying how to make it checkable; valid (exit 0)', async () => {
    const cwd = project(['      - id: draft', '        reads: [notes.md]', '        prompt: { file: prompts/draft.liquid }', '        output: { type: Draft }'].join('\n'), {
      files: { 'prompts/draft.liquid': 'Notes: {{ files["notes.md"] }}\n{% assign path = "out/" | append: inputs.name %}Out: {{ files[path] }}\n' },
    });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(headers(result.stdout)).toEqual([
      `${path.join('prompts', 'draft.liquid')}:2:57: warning FILE_READ_UNCHECKED: \`files[path]\` reads a file named at run time, so it is not checked against action \`draft\`'s \`reads\` (notes.md)`,
    ]);
    expect(result.stdout).toContain('  expected: a literal name, checked now: `files["docs/prd.md"]`\n  hint: write the name it stands for literally (`files["notes.md"]`), or read the files it can name with a `glob` or `each` entry: a run fails at this line when the name is not one the action read\n');
  });

  it('a literal name the action does not read is an error (the run fails there every time); `if` and `| default` take a missing one, a comment reads nothing', async () => {
    const cwd = project(
      ['      - id: draft', '        reads: [notes.md]', '        prompt: |', '          {{ files["notse.md"] }}', '          {% if files["extra.md"] %}{{ files["extra.md"] | default: "" }}{% endif %}{% comment %}{{ files["old.md"] }}{% endcomment %}', '        output: { type: Draft }'].join('\n'),
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(headers(result.stdout)).toEqual(['sop.yaml:19:14: error TEMPLATE_VARIABLE_UNKNOWN: `files["notse.md"]`: action `draft` does not read `notse.md`']);
    expect(result.stdout).toContain('  expected: a file its `reads` names: notes.md\n  hint: did you mean `notes.md`?');
  });

  it('an action that reads computed paths (a path template, `each`, a glob) may read any name: nothing to say', async () => {
    const cwd = project(
      [
        '      - id: draft',
        '        reads: ["{{ inputs.name }}", { glob: "out/*.md" }]',
        '        prompt: |',
        '          {{ files[inputs.name] }} {{ files["out/a.md"] }}',
        '        output: { type: Draft }',
      ].join('\n'),
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(headers(result.stdout)).toEqual([]);
  });

  it('Handlebars: `lookup files NAME` with a computed name is the same warning; a literal name it does not read the same error', async () => {
    const prompt = '        prompt: "{{lookup files \\"notes.md\\"}} {{lookup files inputs.name}}"';
    const cwd = project(['      - id: draft', '        reads: [notes.md]', prompt, '        output: { type: Draft }'].join('\n'), { templates: 'handlebars' });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(headers(result.stdout)).toEqual([
      'sop.yaml:19:50: warning FILE_READ_UNCHECKED: `lookup files inputs.name` reads a file named at run time, so it is not checked against action `draft`\'s `reads` (notes.md)',
    ]);
    expect(result.stdout).toContain('  expected: a literal name, checked now: `{{lookup files "docs/prd.md"}}`\n  hint: write the name it stands for literally (`{{lookup files "notes.md"}}`), or read it with a `reads` entry written the same way (`- "{{ inputs.name }}"`): this renders as empty text when the name is not one the action read\n');

    const typo = project(['      - id: draft', '        reads: [notes.md]', '        prompt: "{{lookup files \\"note.md\\"}} {{files.[notes.md]}} {{files.[nots.md]}}"', '        output: { type: Draft }'].join('\n'), { templates: 'handlebars' });
    const refused = await sop(['validate', 'sop.yaml'], { cwd: typo });
    expect(refused.code).toBe(3);
    expect(headers(refused.stdout)).toEqual([
      'sop.yaml:19:20: error TEMPLATE_VARIABLE_UNKNOWN: `lookup files "note.md"`: action `draft` does not read `note.md`',
      'sop.yaml:19:70: error TEMPLATE_VARIABLE_UNKNOWN: `files.[nots.md]`: action `draft` does not read `nots.md`',
    ]);
  });

  it('CEL: a `precondition.assert` reading a literal name the action does not read is an error at the read (the check fails on every run); a computed name is the warning; a read guarded by `in files` neither', async () => {
    const cwd = project(
      [
        '      - id: draft',
        '        reads: [data.csv, notes.md]',
        '        precondition:',
        "          assert: files['dat.csv'].startsWith('date,') && files[inputs.name] != '' && ('extra.md' in files && files['extra.md'] != '')",
        '        prompt: "Write {{ message.content }}"',
        '        output: { type: Draft }',
      ].join('\n'),
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stdout)).toEqual([
      "sop.yaml:19:19: error EXPRESSION_VARIABLE_UNKNOWN: `files['dat.csv']`: action `draft` does not read `dat.csv`",
      "sop.yaml:19:59: warning FILE_READ_UNCHECKED: `files[inputs.name]` reads a file named at run time, so it is not checked against action `draft`'s `reads` (data.csv, notes.md)",
    ]);
    expect(result.stdout).toContain('  expected: a file its `reads` names: data.csv, notes.md\n  hint: did you mean `data.csv`?');
    expect(result.stdout).toContain(
      '  expected: a literal name, checked now: `files["docs/prd.md"]`\n' +
        '  hint: write the name it stands for literally (`files["data.csv"]`), or read it with a `reads` entry written the same way (`- "{{ inputs.name }}"`): ' +
        'the expression fails (`No such key`) when the name is not one the action read, unless `inputs.name in files` guards it\n',
    );
  });

  it('partials: a Liquid `include` and a Handlebars `{{> p}}` are checked in the partial\'s file, once however many templates include them', async () => {
    const liquid = project(
      ['      - id: draft', '        reads: [notes.md]', '        prompt: "{% include \'parts/notes\' %}"', '        output: { type: Draft }', '        artifacts: [{ path: out.md, content: "{% include \'parts/notes\' %}" }]'].join('\n'),
      { files: { 'parts/notes.liquid': 'Notes:\n{{ files["notse.md"] }} {{ files[inputs.name] }}\n' } },
    );
    const refused = await sop(['validate', 'sop.yaml'], { cwd: liquid });
    expect(refused.code).toBe(3);
    expect(refused.stdout + refused.stderr).not.toMatch(STACK_LINE);
    expect(headers(refused.stdout)).toEqual([
      `${path.join('parts', 'notes.liquid')}:2:4: error TEMPLATE_VARIABLE_UNKNOWN: in partial \`parts/notes\` (included by sop.yaml:18): \`files["notse.md"]\`: action \`draft\` does not read \`notse.md\``,
      `${path.join('parts', 'notes.liquid')}:2:28: warning FILE_READ_UNCHECKED: in partial \`parts/notes\` (included by sop.yaml:18): \`files[inputs.name]\` reads a file named at run time, so it is not checked against action \`draft\`'s \`reads\` (notes.md)`,
    ]);
    expect(refused.stdout).toContain('  hint: did you mean `notes.md`?');

    const handlebars = project(['      - id: draft', '        reads: [notes.md]', '        prompt: "{{> notes}}"', '        output: { type: Draft }'].join('\n'), {
      templates: 'handlebars',
      files: { 'partials/notes.hbs': 'Notes: {{lookup files "notes.md"}} {{lookup files "note.md"}}\n' },
    });
    const typo = await sop(['validate', 'sop.yaml'], { cwd: handlebars });
    expect(typo.code).toBe(3);
    expect(headers(typo.stdout)).toEqual([
      `${path.join('partials', 'notes.hbs')}:1:38: error TEMPLATE_VARIABLE_UNKNOWN: in partial \`notes\` (included by sop.yaml:19): \`lookup files "note.md"\`: action \`draft\` does not read \`note.md\``,
    ]);
  });
});

/**
 * The same reads written another way: through a `{% render %}` that passes `files` (under its name
 * or another), and as a field (`files.README`, in Liquid and CEL). Each gave nothing where the
 * bracketed read in the template itself is an error.
 */
describe('sop validate: reads of `files` through a render and as a field', () => {
  const direct = "error TEMPLATE_VARIABLE_UNKNOWN: `files[\"notse.md\"]`: action `draft` does not read `notse.md`";

  it('a Liquid `{% render %}` that passes `files` (as `files` or as another name): the partial\'s reads are checked in its file, the same error as the direct read', async () => {
    const cwd = project(
      ['      - id: draft', '        reads: [notes.md]', '        prompt: "{{ files[\\"notse.md\\"] }}{% render \'parts/notes\', files: files %}{% render \'parts/docs\', docs: files %}"', '        output: { type: Draft }'].join('\n'),
      { files: { 'parts/notes.liquid': 'Notes:\n{{ files["notse.md"] }}\n', 'parts/docs.liquid': '{% include \'parts/inner\' %}', 'parts/inner.liquid': 'Docs: {{ docs["notse.md"] }} {{ docs["notes.md"] }}\n' } },
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stdout)).toEqual([
      `sop.yaml:18:21: ${direct}`,
      `${path.join('parts', 'inner.liquid')}:1:10: error TEMPLATE_VARIABLE_UNKNOWN: in partial \`parts/inner\` (included by sop.yaml:18): \`docs["notse.md"]\`: action \`draft\` does not read \`notse.md\``,
      `${path.join('parts', 'notes.liquid')}:2:4: error TEMPLATE_VARIABLE_UNKNOWN: in partial \`parts/notes\` (included by sop.yaml:18): \`files["notse.md"]\`: action \`draft\` does not read \`notse.md\``,
    ]);
    expect(result.stdout.match(/ {2}hint: did you mean `notes.md`\?/g)).toHaveLength(3);
  });

  it('a Liquid (and Handlebars) `files.README` is the same error as `files["README"]`; `files.notes.md` reads `notes` (a dot separates keys); `files.size` and a string are no file', async () => {
    const cwd = project(
      ['      - id: draft', '        reads: [notes.md]', '        prompt: "{{ files[\\"README\\"] }} {{ files.README }} {{ files.notes.md }} {% if files.size > 0 %}{{ files.size }}{% endif %} {{ \\"see files.md\\" }}"', '        output: { type: Draft }'].join('\n'),
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(headers(result.stdout)).toEqual([
      'sop.yaml:18:21: error TEMPLATE_VARIABLE_UNKNOWN: `files["README"]`: action `draft` does not read `README`',
      'sop.yaml:18:45: error TEMPLATE_VARIABLE_UNKNOWN: `files.README`: action `draft` does not read `README`',
      'sop.yaml:18:64: error TEMPLATE_VARIABLE_UNKNOWN: `files.notes.md`: action `draft` does not read `notes`',
    ]);
    expect(result.stdout).toContain('  expected: a file its `reads` names: notes.md\n  hint: a dot separates keys: this reads `notes`; name `notes.md` in brackets: `files["notes.md"]`\n');

    const handlebars = project(['      - id: draft', '        reads: [notes.md]', '        prompt: "{{files.[notes.md]}} {{files.README}}"', '        output: { type: Draft }'].join('\n'), { templates: 'handlebars' });
    const typo = await sop(['validate', 'sop.yaml'], { cwd: handlebars });
    expect(typo.code).toBe(3);
    expect(headers(typo.stdout)).toEqual(['sop.yaml:19:41: error TEMPLATE_VARIABLE_UNKNOWN: `files.README`: action `draft` does not read `README`']);
  });

  it('CEL: `files.README` is the same error as `files[\'README\']`; `has(files.extra)` guards it; `files.size()` is no file', async () => {
    const cwd = project(
      [
        '      - id: draft',
        '        reads: [notes.md]',
        '        precondition:',
        "          assert: files['README'] != '' && files.README != '' && files.size() > 0 && (has(files.extra) && files.extra != '') && files.notes.md.startsWith('x')",
        '        prompt: "Write {{ message.content }}"',
        '        output: { type: Draft }',
      ].join('\n'),
    );
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stdout)).toEqual([
      "sop.yaml:19:19: error EXPRESSION_VARIABLE_UNKNOWN: `files['README']`: action `draft` does not read `README`",
      'sop.yaml:19:44: error EXPRESSION_VARIABLE_UNKNOWN: `files.README`: action `draft` does not read `README`',
      'sop.yaml:19:129: error EXPRESSION_VARIABLE_UNKNOWN: `files.notes.md`: action `draft` does not read `notes`',
    ]);
  });
});
