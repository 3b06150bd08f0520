import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A first hour with `sop` of someone who knows promptfoo and GitHub Actions: a choice input written
 * as a workflow_dispatch input, an eval dataset written as a promptfoo test suite. Edit distance
 * finds nothing for their names, so the hints said "remove it" for `options:` (the allowed values),
 * `vars:` (the inputs), `assert:` (the checks) and `tests:` (every case).
 */
const note = (audience: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: note, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  idea: { type: string }
  audience:
${audience}
messages:
  Idea: { description: the idea }
  Note: { description: the note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write about {{ message.content }} for {{ inputs.audience }}", output: { type: Note, format: markdown } }
stop_when: { type: Note }
`;
const enumAudience = '    type: string\n    enum: [engineers, managers]\n    default: engineers';

function project(files: Record<string, string>): string {
  const cwd = tempDir('sop-other-tools-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(cwd, name), text);
  return cwd;
}

function output(result: CliResult): string {
  const text = `${result.stdout}${result.stderr}`;
  expect(text).not.toMatch(STACK_LINE);
  return text;
}

describe('a GitHub Actions choice input', () => {
  it('`type: choice` is told `string`, `options:` is told `enum:`, not "remove it"', async () => {
    const cwd = project({ 'note.yaml': note('    type: choice\n    options: [engineers, managers]\n    default: engineers') });
    const result = await sop(['validate', 'note.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(3);
    expect(text).toContain('note.yaml:7:11: error SCHEMA_ENUM: `choice` is not allowed here');
    expect(text).toContain('hint: did you mean `string`?');
    expect(text).toContain('note.yaml:8:5: error SCHEMA_UNKNOWN_FIELD: unknown field `options`');
    expect(text).toContain('hint: an input\'s allowed values are its `enum` here: rename `options:` to `enum:` (with `type: string`: there is no `type: choice`)');
    expect(text).not.toContain('remove it');
  });
});

describe('sop eval: a dataset written as a promptfoo test suite', () => {
  it('YAML: `tests:` is told `cases:`, and no missing `cases` is reported besides', async () => {
    const cwd = project({ 'note.yaml': note(enumAudience), 'cases.yaml': 'apiVersion: sop-eval/v1\ntests:\n  - name: tide\n    inputs: { idea: tides }\n' });
    const result = await sop(['eval', 'note.yaml', '--dataset', 'cases.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(2);
    expect(text).toContain('cases.yaml:2:1: error SCHEMA_UNKNOWN_FIELD: unknown field `tests`');
    expect(text).toContain('hint: the cases are listed under `cases:` here: rename `tests:` to `cases:`');
    expect(text).not.toContain('remove it');
  });

  it('YAML: a case\'s `description`, `vars` and `assert` are told `name`, `inputs` and `expect`, and no missing `name` besides', async () => {
    const dataset = 'apiVersion: sop-eval/v1\ncases:\n  - description: tide\n    vars: { idea: tides }\n    assert:\n      - { type: contains, value: tide }\n';
    const cwd = project({ 'note.yaml': note(enumAudience), 'cases.yaml': dataset });
    const result = await sop(['eval', 'note.yaml', '--dataset', 'cases.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(2);
    expect(text).toContain('cases.yaml:3:5: error SCHEMA_UNKNOWN_FIELD: unknown field `description`');
    expect(text).toContain('hint: a case is named by its `name` here (results and baselines are keyed by it): rename `description:` to `name:`');
    expect(text).toContain('cases.yaml:4:5: error SCHEMA_UNKNOWN_FIELD: unknown field `vars`');
    expect(text).toContain('hint: a case gives the SOP\'s inputs under `inputs:` here: rename `vars:` to `inputs:`');
    expect(text).toContain('cases.yaml:5:5: error SCHEMA_UNKNOWN_FIELD: unknown field `assert`');
    expect(text).toContain('hint: what the finished run must show is the case\'s `expect` here, a mapping, not a list of assertions: e.g. `expect: { status: completed, artifacts: [{ path: draft.md, contains: tidal }]');
    expect(text).not.toContain('missing required field `name`');
    expect(text).not.toContain('remove it');
  });

  it('JSONL: `vars` and `assert` are told `inputs` and `expect` at their line and column', async () => {
    const cwd = project({ 'note.yaml': note(enumAudience), 'cases.jsonl': '{"name":"tide","vars":{"idea":"tides"},"assert":[{"type":"contains","value":"tide"}]}\n' });
    const result = await sop(['eval', 'note.yaml', '--dataset', 'cases.jsonl'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(2);
    expect(text).toContain('cases.jsonl:1:16: error SCHEMA_UNKNOWN_FIELD: unknown field `vars`');
    expect(text).toContain('rename `vars:` to `inputs:`');
    expect(text).toContain('cases.jsonl:1:40: error SCHEMA_UNKNOWN_FIELD: unknown field `assert`');
    expect(text).not.toContain('remove it');
  });

  it('CSV: the `__description` and `__expected` columns are told `name` and `expect.FIELD` columns', async () => {
    const cwd = project({ 'note.yaml': note(enumAudience), 'cases.csv': '__description,idea,__expected\ntide,tides,contains:tide\n' });
    const result = await sop(['eval', 'note.yaml', '--dataset', 'cases.csv'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(2);
    expect(text).toContain('cases.csv:1:1: error SCHEMA_VIOLATION: column __description is no input name');
    expect(text).toContain('hint: a case is named by the `name` column here: rename `__description` to `name`');
    expect(text).toContain('cases.csv:1:20: error SCHEMA_VIOLATION: column __expected is no input name');
    expect(text).toContain('hint: what the finished run must show is written as `expect.FIELD` columns here, one field of `expect` each, its cell YAML: e.g. `expect.status` (`completed`) or `expect.artifacts`');
  });
});

describe('sop test: a test file written with promptfoo\'s names', () => {
  it('a case\'s `vars` is told `inputs`', async () => {
    const tests = 'apiVersion: sop-test/v1\ncases:\n  - name: tide\n    vars: { idea: tides }\n    expect: { status: completed }\n';
    const cwd = project({ 'note.yaml': note(enumAudience), 'note.test.yaml': tests });
    const result = await sop(['test', 'note.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(2);
    expect(text).toContain('note.test.yaml:4:5: error SCHEMA_UNKNOWN_FIELD: unknown field `vars`');
    expect(text).toContain('rename `vars:` to `inputs:`');
    expect(text).not.toContain('remove it');
  });
});

describe('a CrewAI or shell placeholder in a template', () => {
  const crew = (prompt: string): string => note(enumAudience).replace('prompt: "Write about {{ message.content }} for {{ inputs.audience }}"', `prompt: ${JSON.stringify(prompt)}`);

  it('`{audience}`, `${idea}` and `{message.content}` are warned of at their place, with the double braces to write; following the hints, no warning', async () => {
    const cwd = project({ 'note.yaml': crew('Write about {message.content} for {audience}, on ${idea}.') });
    const result = await sop(['validate', 'note.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(0);
    expect(text).toContain('note.yaml:19:43: warning TEMPLATE_SINGLE_BRACE: `{message.content}` is sent to the model as written: a template reads a variable in double braces\n  expected: `{{ inputs.NAME }}`, `{{ message.content }}`, `{{ item }}` (Liquid)\n  hint: write `{{ message.content }}`\n');
    expect(text).toContain('note.yaml:19:65: warning TEMPLATE_SINGLE_BRACE: `{audience}` is sent to the model as written');
    expect(text).toContain('hint: write `{{ inputs.audience }}` (the input `audience`)\n');
    expect(text).toContain('note.yaml:19:80: warning TEMPLATE_SINGLE_BRACE: `${idea}` is sent to the model as written');
    expect(text).toContain('hint: write `{{ inputs.idea }}` (the input `idea`)\n');
    expect(text).toContain('1 file: 1 valid, 0 invalid, 0 errors, 3 warnings');
    writeFileSync(path.join(cwd, 'note.yaml'), crew('Write about {{ message.content }} for {{ inputs.audience }}, on {{ inputs.idea }}.'));
    const followed = await sop(['validate', 'note.yaml'], { cwd });
    expect(followed.code).toBe(0);
    expect(followed.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 0 warnings');
  });

  it('a JSON or code example in braces that names no input nor template variable is left alone', async () => {
    const cwd = project({ 'note.yaml': crew('Answer as {"idea": "..."}; in Python, f"{total}"; about {{ message.content }} for {{{ inputs.audience }}}.') });
    const result = await sop(['validate', 'note.yaml'], { cwd });
    const text = output(result);
    expect(result.code, text).toBe(0);
    expect(text).not.toContain('TEMPLATE_SINGLE_BRACE');
  });
});
