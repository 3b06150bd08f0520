import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A command gate that prints the file `EMOJI` and fails, stopping the run. */
const GATED_SOP = (emoji: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: uni, version: 1.0.0 }
messages:
  Idea: { description: the topic }
  Note: { description: a note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}."
        output: { type: Note, format: markdown }
        artifacts: [{ path: note.md }]
        gates:
          - { name: cmd, command: { command: [sh, -c, 'cat "$0"; exit 1', ${JSON.stringify(emoji)}] }, on_fail: stop }
stop_when: { type: Note }
`;

const TESTS = `apiVersion: sop-test/v1
cases:
  - name: completes
    inputs: { idea: tea }
    expect: { status: completed }
`;

/** A project whose gate output is a line of emoji after `lead` (which moves where a cut falls). */
function project(lead: string): string {
  const dir = tempDir('sop-text-');
  writeFileSync(path.join(dir, 'sop.yaml'), GATED_SOP(path.join(dir, 'emoji.txt')));
  writeFileSync(path.join(dir, 'sop.test.yaml'), TESTS);
  writeFileSync(path.join(dir, 'emoji.txt'), `${lead}${'😀'.repeat(300)}\n`);
  return dir;
}

describe('text cut to fit never splits a character', () => {
  // Each emoji is two UTF-16 units: one of the two leads puts every cut between the two halves.
  for (const lead of ['', 'x']) {
    it(`a failing gate's feedback line in the progress is cut between emoji (lead "${lead}")`, async () => {
      const cwd = project(lead);
      const result = await sop(['run', 'sop.yaml', 'tea', '--workspace', 'ws'], { cwd });
      expect(result.code, result.stderr).toBe(7);
      const line = result.stderr.split('\n').find((text) => text.includes('😀'));
      expect(line, result.stderr).toMatch(/^ {4}x?(😀)+…$/u);
      expect(result.stderr).not.toContain('\uFFFD');
    });

    it(`sop test's line for a case a gate stopped quotes its feedback cut between emoji (lead "${lead}")`, async () => {
      const cwd = project(lead);
      const result = await sop(['test', 'sop.test.yaml'], { cwd });
      expect(result.code, result.stdout + result.stderr).toBe(16);
      expect(result.stdout).toMatch(/stopped it: .*😀…/u);
      expect(result.stdout + result.stderr).not.toContain('\uFFFD');
    });
  }
});

const BOM = '\uFEFF';

describe('a UTF-8 BOM (as Windows editors save files) is no part of the text', () => {
  const sopText = `apiVersion: sop/v1
kind: SOP
metadata: { name: bom, version: 1.0.0 }
messages:
  Idea: { description: the topic }
  Note: { schema: { $ref: schemas/note.json } }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: { file: prompts/write.liquid }
        output: { type: Note, format: json }
stop_when: { type: Note }
`;

  function bomProject(sop: string): string {
    const dir = tempDir('sop-bom-');
    mkdirSync(path.join(dir, 'prompts'));
    mkdirSync(path.join(dir, 'schemas'));
    writeFileSync(path.join(dir, 'sop.yaml'), `${BOM}${sop}`.replace(/\n/g, '\r\n'));
    writeFileSync(path.join(dir, 'prompts', 'write.liquid'), `${BOM}Write about {{ message.content }}.\n`);
    writeFileSync(path.join(dir, 'schemas', 'note.json'), `${BOM}{ "type": "object", "additionalProperties": false, "required": ["title"], "properties": { "title": { "type": "string" } } }\n`);
    return dir;
  }

  it('an SOP, its prompt file and its $ref schema saved with a BOM are valid, and the prompt sent has no BOM', async () => {
    const cwd = bomProject(sopText);
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.stdout + validated.stderr).toContain('sop.yaml: valid');
    expect(validated.code).toBe(0);
    const prompts = await sop(['prompts', 'sop.yaml', 'tea'], { cwd });
    expect(prompts.code, prompts.stderr).toBe(0);
    expect(prompts.stdout).toContain('--- user\nWrite about tea.');
    expect(prompts.stdout).not.toContain(BOM);
  });

  it('a mistake in the first key is at line 1, column 1, and its code frame shows no BOM', async () => {
    const cwd = bomProject(`apiVersoin: sop/v1\n${sopText.split('\n').slice(1).join('\n')}`);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('sop.yaml:1:1: error');
    expect(result.stdout).toContain('> 1 | apiVersoin: sop/v1');
    expect(result.stdout).not.toContain(BOM);
  });
});

describe('columns count characters, as editors do: an emoji is one, a tab one, CRLF and LF alike', () => {
  const head = `apiVersion: sop/v1
kind: SOP
metadata: { name: uni, version: 1.0.0, description: "🎉 写作", bogus: 1 }
messages:
  Idea: { description: the topic }
  Note: { description: a note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
`;
  const tail = `stop_when: { type: Note }
`;

  async function validate(actions: string, lineEnd = '\n'): Promise<string> {
    const cwd = tempDir('sop-columns-');
    writeFileSync(path.join(cwd, 'sop.yaml'), `${head}${actions}${tail}`.replace(/\n/g, lineEnd));
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(3);
    return result.stdout;
  }

  for (const [name, lineEnd] of [['LF', '\n'], ['CRLF', '\r\n']] as const) {
    it(`a schema error, a template variable and a Liquid tag after emoji, CJK and a tab (${name})`, async () => {
      const stdout = await validate(`      - id: write
        prompt: "写作 🎉🎉\\tabout {{ message.contnet }}"
        output: { type: Note, format: markdown }
      - id: again
        prompt: |
          🎉 first line
          🎉🎉 about {% iff x %}
        output: { type: Note, format: markdown }
`, lineEnd);
      // 8 spaces, `prompt: "` to column 17, 写作 18-19, a space, two emoji 21-22, `\t` 23-24, `about ` 25-30, `{{ ` 31-33.
      expect(stdout).toContain('sop.yaml:14:34: error TEMPLATE_VARIABLE_UNKNOWN: `message` has no field `contnet`');
      expect(stdout).toContain('sop.yaml:19:20: error TEMPLATE_SYNTAX: template syntax error: unknown tag `iff`');
      expect(stdout).toContain('sop.yaml:3:61: error SCHEMA_UNKNOWN_FIELD: unknown field `bogus`');
      // The frame's caret is placed by the line's UTF-16 units (a space for each), under `message`.
      expect(stdout).toContain(`  > 14 |         prompt: "写作 🎉🎉\\tabout {{ message.contnet }}"\n       |${' '.repeat(36)}^`);
    });
  }
});

describe('the code frame of a long line', () => {
  it('is cut to its window between characters, never inside an emoji', async () => {
    const cwd = tempDir('sop-columns-');
    writeFileSync(path.join(cwd, 'sop.yaml'), `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: big, version: 1.0.0, description: "${'😀'.repeat(150)}", bogus: 1 }\n`);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('sop.yaml:3:207: error SCHEMA_UNKNOWN_FIELD: unknown field `bogus`');
    expect(result.stdout).toMatch(/> 3 \| …(😀)+", bogus: 1 \}\n/u);
    expect(result.stdout).not.toContain('\uFFFD');
  });
});

describe('sop eval datasets: columns count characters too', () => {
  it('a JSONL line and a CSV cell after emoji are located at the character', async () => {
    const cwd = tempDir('sop-columns-');
    writeFileSync(path.join(cwd, 'sop.yaml'), GATED_SOP(path.join(cwd, 'emoji.txt')));
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name": "🎉🎉 one", "inputs": {"idea": "tea"}, x}\n');
    writeFileSync(path.join(cwd, 'cases.csv'), 'name,idea,expect.status\r\n🎉🎉,tea,bogus_status\r\n');
    const jsonl = await sop(['eval', 'sop.yaml', '--dataset', 'cases.jsonl'], { cwd });
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toContain('cases.jsonl:1:47: error JSON_SYNTAX: the line is not JSON: unexpected `x`');
    const csv = await sop(['eval', 'sop.yaml', '--dataset', 'cases.csv'], { cwd });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('cases.csv:2:8: error SCHEMA_ENUM: row 1, column expect.status: `bogus_status` is not allowed here');
  });
});

describe('an artifact name a model gave', () => {
  const namedSop = `apiVersion: sop/v1
kind: SOP
metadata: { name: names, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Note:
    schema: { type: object, additionalProperties: false, required: [name], properties: { name: { type: string } } }
start: [{ type: Idea, content: go }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "{{ message.content }}"
        output: { type: Note, format: json, max_attempts: 1 }
        artifacts: [{ path: "notes/{{ payload.name }}.md", content: "x" }]
stop_when: { type: Note }
`;

  async function runNamed(name: string): Promise<{ code: number | null; stderr: string; files: string[] }> {
    const cwd = tempDir('sop-names-');
    writeFileSync(path.join(cwd, 'sop.yaml'), namedSop);
    writeFileSync(path.join(cwd, 'script.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write, output: { name: ${JSON.stringify(name)} } }\n`);
    const result = await sop(['run', 'sop.yaml', 'go', '--model', 'script:script.yaml', '--workspace', 'ws'], { cwd });
    const notes = path.join(cwd, 'ws', 'notes');
    return { code: result.code, stderr: result.stderr, files: existsSync(notes) ? readdirSync(notes) : [] };
  }

  it('in any script (accents, CJK, emoji, a combining mark, right-to-left text) is written as given', async () => {
    const name = 'café-写作-🎉-e\u0301-שלום';
    const result = await runNamed(name);
    expect(result.code, result.stderr).toBe(0);
    expect(result.files).toEqual([`${name}.md`]);
    expect(result.stderr).toContain(`  notes/${name}.md`);
  });

  it('with a NUL byte is refused, the NUL shown escaped, not sent to the terminal', async () => {
    const result = await runNamed('a\u0000b');
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('error WORKSPACE_ESCAPE: artifact path "notes/a\\u0000b.md" contains a NUL byte');
    expect(result.stderr).not.toContain('\u0000');
    expect(result.files).toEqual([]);
  });

  it('with a right-to-left override (which prints a name in another order) is refused, shown escaped', async () => {
    const result = await runNamed('invoice\u202Efdp.exe');
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('error WORKSPACE_ESCAPE: artifact path "notes/invoice\\u202Efdp.exe.md" contains a bidirectional control character');
    expect(result.stderr).not.toContain('\u202E');
    expect(result.files).toEqual([]);
  });
});

describe("a model's answer quoted in a failure never sends control bytes to the terminal", () => {
  const answered = `apiVersion: sop/v1
kind: SOP
metadata: { name: quoted, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Note: { description: a note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "{{ message.content }}"
        output: { type: Note, format: markdown }
        artifacts: [{ path: note.md }]
stop_when: { type: Note }
`;
  const answer = 'A\u0000B\u0007C \u001b[31mred\u001b[0m \u001b]0;title\u0007 done';
  /** Control bytes but the line ends and tabs a report is made of. */
  const CONTROL_BYTE = /[\u0000-\u0008\u000b-\u001f\u007f]/;

  function project(): string {
    const cwd = tempDir('sop-quoted-');
    writeFileSync(path.join(cwd, 'sop.yaml'), answered);
    writeFileSync(path.join(cwd, 'script.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write, output: ${JSON.stringify(answer)} }\n`);
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: red\n    inputs: { idea: tea }\n    expect: { artifacts: [{ path: note.md, contains: ZZZ }] }\n');
    writeFileSync(path.join(cwd, 'sop.test.yaml'), 'apiVersion: sop-test/v1\ncases:\n  - name: red\n    inputs: { idea: tea }\n    script: script.yaml\n    expect: { artifacts: [{ path: note.md, contains: ZZZ }] }\n');
    return cwd;
  }

  it('sop eval: the text an artifact holds, as "got ...", NUL and BEL marked U+FFFD, colours and titles removed', async () => {
    const cwd = project();
    const result = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'script:script.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('does not contain "ZZZ" (got A\uFFFDB\uFFFDC red done)');
    expect(result.stdout + result.stderr).not.toMatch(CONTROL_BYTE);
  });

  it('sop test: the actual text of a failed expectation, the same way', async () => {
    const cwd = project();
    const result = await sop(['test', 'sop.test.yaml'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stdout).toContain('actual:   A\uFFFDB\uFFFDC red done');
    expect(result.stdout + result.stderr).not.toMatch(CONTROL_BYTE);
  });
});

describe('prompt files and partials saved on Windows (BOM, CRLF) send the model what LF files send', () => {
  const sopFor = (engine: 'liquid' | 'handlebars'): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: crlf, version: 1.0.0 }
settings: { templates: ${engine} }
messages:
  Idea: { description: the idea }
  Note: { description: a note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: { file: prompts/write.${engine === 'liquid' ? 'liquid' : 'hbs'} }
        output: { type: Note, format: markdown }
        artifacts: [{ path: note.md, template: { file: note.${engine === 'liquid' ? 'liquid' : 'hbs'} } }]
stop_when: { type: Note }
`;
  const files = {
    liquid: { prompt: 'Write about {{ message.content }}.\n{% include "greet" %}\nLast line.\n', partial: ['greet.liquid', 'Say hi.\n  Indented.\n'], template: '# Note\n\n{{ output }}\n' },
    handlebars: { prompt: 'Write about {{ message.content }}.\n{{> greet}}\nLast line.\n', partial: ['greet.hbs', 'Say hi.\n  Indented.\n'], template: '# Note\n\n{{ output }}\n' },
  } as const;

  async function previewed(engine: 'liquid' | 'handlebars', windows: boolean): Promise<{ prompts: string; note: string }> {
    const cwd = tempDir('sop-crlf-');
    const save = (file: string, text: string): void => writeFileSync(path.join(cwd, file), windows ? `${BOM}${text.replace(/\n/g, '\r\n')}` : text);
    mkdirSync(path.join(cwd, 'prompts'));
    const ext = engine === 'liquid' ? 'liquid' : 'hbs';
    save('sop.yaml', sopFor(engine));
    save(`prompts/write.${ext}`, files[engine].prompt);
    save(files[engine].partial[0], files[engine].partial[1]);
    save(`note.${ext}`, files[engine].template);
    const prompts = await sop(['prompts', 'sop.yaml', 'tea'], { cwd });
    expect(prompts.code, prompts.stderr).toBe(0);
    const run = await sop(['run', 'sop.yaml', 'tea', '--workspace', 'ws'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    return { prompts: prompts.stdout, note: readFileSync(path.join(cwd, 'ws', 'note.md'), 'utf8') };
  }

  for (const engine of ['liquid', 'handlebars'] as const) {
    it(`${engine}: the prompt, its partial and the artifact template`, async () => {
      const unix = await previewed(engine, false);
      const windows = await previewed(engine, true);
      expect(unix.prompts).toContain('Write about tea.\nSay hi.\n  Indented.\n');
      expect(windows.prompts).toBe(unix.prompts);
      expect(windows.note).toBe(unix.note);
      expect(windows.note).not.toMatch(/\r|\uFEFF/);
    });
  }
});

describe("a gate's feedback in a GitHub Actions log", () => {
  it('forges no workflow command: a line that is `::...` once its leading spaces are trimmed (as the runner reads it) is escaped', async () => {
    const cwd = tempDir('sop-forged-');
    writeFileSync(path.join(cwd, 'sop.yaml'), GATED_SOP(path.join(cwd, 'emoji.txt')));
    writeFileSync(path.join(cwd, 'emoji.txt'), 'FAIL\n::error title=forged::FROM-COMMAND\n   ::add-mask::secret\n');
    const result = await sop(['run', 'sop.yaml', 'tea', '--workspace', 'ws'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).toContain('    %3A:error title=forged::FROM-COMMAND\n');
    const commands = result.stderr.split('\n').filter((line) => line.trimStart().startsWith('::'));
    expect(commands.length).toBeGreaterThan(0);
    // Every workflow command left is sop's own annotation of the stopped gate.
    for (const line of commands) expect(line).toMatch(/^::error file=sop\.yaml,line=\d+,col=\d+,title=/);
  });
});
