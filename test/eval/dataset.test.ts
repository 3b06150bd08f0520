import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, parseDataset } from '../../src/eval/dataset.js';
import { isSopError, type SopError } from '../../src/errors/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

/** The DATASET_INVALID error a dataset gives, with its first diagnostic. */
function refusal(load: () => unknown): SopError {
  try {
    load();
  } catch (error) {
    if (isSopError(error)) return error;
    throw error;
  }
  throw new Error('the dataset was accepted');
}

describe('sop-eval/v1 YAML datasets', () => {
  it('applies the defaults: inputs and expect merge key by key, judge rubrics add up, a case\'s own fields win', () => {
    const dataset = parseDataset(
      [
        'apiVersion: sop-eval/v1',
        'models: [offline, "openai:gpt-4o-mini"]',
        'judge_model: offline',
        'defaults:',
        '  inputs: { idea: a todo app, review: false }',
        '  expect: { status: completed }',
        '  judge: [{ rubric: clear, of: docs/prd.md }]',
        '  n_round: 4',
        'cases:',
        '  - name: first',
        '    inputs: { review: true }',
        '    expect: { messages: [{ type: PRD }] }',
        '    judge: [{ rubric: short, of: PRD, min_score: 5 }]',
        '  - name: second',
        '    n_round: 9',
        '    skip: not yet',
      ].join('\n'),
      'cases.yaml',
      'yaml',
    );
    expect(dataset.models).toEqual(['offline', 'openai:gpt-4o-mini']);
    expect(dataset.judgeModel).toBe('offline');
    expect(dataset.cases[0]).toEqual({
      name: 'first',
      inputs: { idea: 'a todo app', review: true },
      expect: { status: 'completed', messages: [{ type: 'PRD' }] },
      judge: [{ rubric: 'clear', minScore: 7, of: 'docs/prd.md' }, { rubric: 'short', minScore: 5, of: 'PRD' }],
      nRound: 4,
      place: 'cases.yaml:10',
      format: 'yaml',
      locate: expect.any(Function),
      at: expect.any(Function),
      origin: expect.any(Function),
    });
    expect(dataset.cases[1]).toMatchObject({ name: 'second', nRound: 9, skip: 'not yet', place: 'cases.yaml:14' });
  });

  it('locates every schema error (file:line:col) at once, as DATASET_INVALID with exit 2', () => {
    const error = refusal(() =>
      parseDataset(['apiVersion: sop-eval/v1', 'cases:', '  - name: a', '    inputz: {}', '  - inputs: { idea: 3 }'].join('\n'), 'cases.yaml', 'yaml'),
    );
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^invalid dataset: cases\.yaml:4:5: error SCHEMA_UNKNOWN_FIELD/);
    expect(error.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.code])).toEqual([
      [4, 'SCHEMA_UNKNOWN_FIELD'],
      [5, 'SCHEMA_MISSING_FIELD'],
    ]);
  });

  it('checks `expect` with the `sop test` schema', () => {
    const error = refusal(() => parseDataset(['apiVersion: sop-eval/v1', 'cases:', '  - name: a', '    expect: { status: finished }'].join('\n'), 'cases.yaml', 'yaml'));
    expect(error.diagnostics[0]).toMatchObject({ code: 'SCHEMA_ENUM', line: 4 });
  });

  it('refuses a `where` that is not CEL and a `matches` that is not RE2 where they are written, in every format', () => {
    const yaml = refusal(() =>
      parseDataset(['apiVersion: sop-eval/v1', 'cases:', '  - name: a', '    expect:', '      messages: [{ type: PRD, where: "payload.(" }]', '      artifacts: [{ path: a.md, matches: "(?=x)" }]'].join('\n'), 'cases.yaml', 'yaml'),
    );
    expect(yaml.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line])).toEqual([
      ['EXPRESSION_SYNTAX', 5],
      ['SCHEMA_PATTERN', 6],
    ]);
    const jsonl = refusal(() => parseDataset('{"name": "a"}\n{"name": "b", "expect": {"messages": [{"type": "PRD", "where": "1 +"}]}}\n', 'cases.jsonl', 'jsonl'));
    expect(jsonl.diagnostics[0]).toMatchObject({ code: 'EXPRESSION_SYNTAX', line: 2 });
    const csv = refusal(() => parseDataset('name,expect.artifacts\na,"[{path: a.md, matches: \'(?<=x)\'}]"\n', 'cases.csv', 'csv'));
    expect(csv.diagnostics[0]).toMatchObject({ code: 'SCHEMA_PATTERN', line: 2, message: expect.stringMatching(/^row 1, column expect\.artifacts: invalid regular expression/) });
  });

  it('refuses two cases of one name, naming where the first is', () => {
    const error = refusal(() => parseDataset(['apiVersion: sop-eval/v1', 'cases:', '  - name: a', '  - name: b', '  - name: a'].join('\n'), 'cases.yaml', 'yaml'));
    // At the repeated name's value, in each format.
    expect(error.diagnostics[0]).toMatchObject({ code: 'DUPLICATE_ID', line: 5, column: 11, message: 'case name "a" is already used at cases.yaml:3' });
    const jsonl = refusal(() => parseDataset('{"name": "a"}\n{"inputs": {"idea": "x"}, "name": "a"}\n', 'cases.jsonl', 'jsonl'));
    expect(jsonl.diagnostics[0]).toMatchObject({ code: 'DUPLICATE_ID', line: 2, column: 35 });
    const csv = refusal(() => parseDataset('idea,name\nx,a\ny,a\n', 'cases.csv', 'csv'));
    expect(csv.diagnostics[0]).toMatchObject({ code: 'DUPLICATE_ID', line: 3, column: 3 });
  });

  it('refuses checks that can never pass at the field that makes them so, as sop test does (YAML, and a CSV cell)', () => {
    const yaml = refusal(() =>
      parseDataset(['apiVersion: sop-eval/v1', 'cases:', '  - name: a', '    expect:', '      messages: [{ type: PRD, count: { min: 2, max: 1 } }]', '      artifacts: [{ path: a.md, exists: false }]'].join('\n'), 'cases.yaml', 'yaml'),
    );
    expect(yaml.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message])).toEqual([
      ['SCHEMA_VIOLATION', 5, 45, '`min: 2` is above `max: 1`: no count is both, so this can never pass'],
      ['SCHEMA_VIOLATION', 6, 41, '`exists: false` can never pass: when a.md is absent it fails as not written'],
    ]);
    const csv = refusal(() => parseDataset('name,expect.usage\na,"{calls: 3, max_calls: 1}"\n', 'cases.csv', 'csv'));
    expect(csv.diagnostics[0]).toMatchObject({ code: 'SCHEMA_VIOLATION', line: 2, column: 3, message: 'row 1, column expect.usage: `calls: 3` can never pass with `max_calls: 1`' });
  });

  it('refuses a dataset without cases and a file that is not one', () => {
    expect(refusal(() => parseDataset('apiVersion: sop-eval/v1\n', 'cases.yaml', 'yaml')).message).toContain('the dataset has no `cases`');
    expect(refusal(() => parseDataset('', 'cases.yaml', 'yaml')).message).toContain('empty dataset file');
    expect(refusal(() => parseDataset('apiVersion: sop-test/v1\ncases: []\n', 'cases.yaml', 'yaml')).diagnostics[0]).toMatchObject({ line: 1 });
  });
});

describe('JSONL datasets', () => {
  it('reads one case per line (blank lines skipped) with the defaults of --defaults FILE', () => {
    const cases = write('cases.jsonl', '{"name": "a", "inputs": {"idea": "x"}}\n\n{"name": "b", "expect": {"status": "failed"}}\n');
    const defaults = write('defaults.yaml', 'apiVersion: sop-eval/v1\nmodels: [offline]\ndefaults: { inputs: { idea: default idea }, expect: { exit_code: 0 } }\n');
    const dataset = loadDataset(cases, dir, defaults);
    expect(dataset.models).toEqual(['offline']);
    expect(dataset.cases.map((entry) => [entry.name, entry.inputs, entry.expect, entry.place])).toEqual([
      ['a', { idea: 'x' }, { exit_code: 0 }, 'cases.jsonl:1'],
      ['b', { idea: 'default idea' }, { exit_code: 0, status: 'failed' }, 'cases.jsonl:3'],
    ]);
  });

  it('locates a broken line and a wrong field by line and column', () => {
    const error = refusal(() => parseDataset('{"name": "a"}\n{"name": "b", "n_round": 0}\n{"name": "c",\n', 'cases.jsonl', 'jsonl'));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.column])).toEqual([
      [2, 26],
      [3, expect.any(Number)],
    ]);
    expect(error.diagnostics[0]?.pointer).toBe('/n_round');
  });

  it('reads each line as strict JSON: YAML syntax and trailing comments are refused, located at the line and column of the .jsonl', () => {
    const error = refusal(() =>
      parseDataset(['{"name": "a"} # a comment', '{name: b}', "{'name': 'c'}", '{"name": "d",}', '{"name": "e"}', '- { name: f }', '{"name": "g", "inputs": {"idea": NaN}}'].join('\n'), 'cases.jsonl', 'jsonl'),
    );
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message])).toEqual([
      ['JSON_SYNTAX', 1, 15, 'the line is not JSON: unexpected `#`'],
      ['JSON_SYNTAX', 2, 2, 'the line is not JSON: unexpected `name`'],
      ['JSON_SYNTAX', 3, 2, "the line is not JSON: unexpected `'name'`"],
      ['JSON_SYNTAX', 4, 14, 'the line is not JSON: expected a double-quoted property name'],
      ['JSON_SYNTAX', 6, 1, 'the line is not JSON: unexpected `-`'],
      ['JSON_SYNTAX', 7, 34, 'the line is not JSON: unexpected `NaN`'],
    ]);
    expect(error.diagnostics[0]?.hint).toContain('one line of JSON');
  });

  it('refuses an artifact path that leaves the workspace, in every format, and tells a YAML dataset without apiVersion the line to add', () => {
    const jsonl = refusal(() => parseDataset('{"name": "a", "expect": {"artifacts": [{"path": "../../etc/passwd", "contains": "root"}]}}\n', 'cases.jsonl', 'jsonl'));
    expect(jsonl.diagnostics[0]).toMatchObject({ code: 'ARTIFACT_PATH_ESCAPE', line: 1, message: 'artifact path `../../etc/passwd` leaves the workspace' });
    const yaml = refusal(() => parseDataset('apiVersion: sop-eval/v1\ndefaults:\n  expect: { artifacts: [{ path: /etc/passwd }] }\ncases: [{ name: a }]\n', 'cases.yaml', 'yaml'));
    expect(yaml.diagnostics[0]).toMatchObject({ code: 'ARTIFACT_PATH_ESCAPE', line: 3, message: 'artifact path `/etc/passwd` is absolute' });
    const unversioned = refusal(() => parseDataset('cases: [{ name: a }]\n', 'cases.yaml', 'yaml'));
    expect(unversioned.diagnostics[0]).toMatchObject({ hint: 'add `apiVersion: sop-eval/v1` as the first line' });
  });

  it('refuses --defaults with cases in it', () => {
    const cases = write('one.jsonl', '{"name": "a"}\n');
    const defaults = write('with-cases.yaml', 'apiVersion: sop-eval/v1\ncases: [{ name: x }]\n');
    expect(refusal(() => loadDataset(cases, dir, defaults)).message).toContain('a --defaults file holds no cases');
  });
});

describe('CSV datasets', () => {
  it('reads columns as inputs, `expect.FIELD` and `judge` cells as YAML, an empty cell as not given', () => {
    const file = write(
      'cases.csv',
      ['name,idea,review,expect.status,expect.messages,judge', 'first,"a todo app, with tags",true,completed,"[{type: PRD, count: 1}]",', 'second,a blog,,failed,,"[{rubric: clear, of: PRD}]"', ''].join('\n'),
    );
    const dataset = loadDataset(file, dir);
    expect(dataset.cases).toEqual([
      { name: 'first', inputs: { idea: 'a todo app, with tags', review: 'true' }, expect: { status: 'completed', messages: [{ type: 'PRD', count: 1 }] }, judge: [], place: 'cases.csv:2', format: 'csv', locate: expect.any(Function), at: expect.any(Function), origin: expect.any(Function) },
      { name: 'second', inputs: { idea: 'a blog' }, expect: { status: 'failed' }, judge: [{ rubric: 'clear', minScore: 7, of: 'PRD' }], place: 'cases.csv:3', format: 'csv', locate: expect.any(Function), at: expect.any(Function), origin: expect.any(Function) },
    ]);
  });

  it('names a row without a name by its number', () => {
    expect(parseDataset('idea\nx\ny\n', 'cases.csv', 'csv').cases.map((entry) => entry.name)).toEqual(['row 1', 'row 2']);
  });

  it('locates a bad cell at its line and column, and by its column name', () => {
    const error = refusal(() => parseDataset('name,idea,judge\na,x,"[{rubric: r}]"\nbb,"two\nlines",[unclosed\n', 'cases.csv', 'csv'));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.column, diagnostic.message])).toEqual([
      [2, 5, expect.stringMatching(/^row 1, column judge: .*of/)],
      // The cell after a quoted cell holding a line break: on the row's second line.
      [4, 8, 'row 2, column judge: the cell is not YAML: Flow sequence must end with a ] (at character 10 of the cell)'],
    ]);
  });

  it('a case of a row that spans lines is placed at the line the row starts on', () => {
    const dataset = parseDataset('name,idea\r\nfirst,"two\r\nlines"\r\nsecond,x\r\n', 'cases.csv', 'csv');
    expect(dataset.cases.map((entry) => entry.place)).toEqual(['cases.csv:2', 'cases.csv:4']);
  });

  it.each([
    ['a quoted cell never closed: at its opening quote, not at the end of the file', 'name,idea\na,x\nb,"open\nc,z\nd,w\n', 3, 3, /^not valid CSV: a quoted cell is never closed/],
    ['text after a closing quote: at that cell', 'name,idea\na,"closed" junk\n', 2, 3, /^not valid CSV: text after the closing quote of the cell idea$/],
    ['a quote inside an unquoted cell: at that cell', 'name,idea\na,say "hi"\n', 2, 3, /^not valid CSV: a quote inside the unquoted cell idea$/],
    ['a row with a cell too many: at the first extra cell', 'name,idea\na,x,extra\n', 2, 5, /^not valid CSV: the row has 3 cells, the header row 2 columns$/],
    ['a row too many, after a quoted cell with \\r\\n in it: at that row', 'name,idea\r\na,"two\r\nlines",extra\r\n', 3, 8, /^not valid CSV: the row has 3 cells, the header row 2 columns$/],
  ])('says where a CSV that does not parse breaks: %s', (_label, text, line, column, message) => {
    const error = refusal(() => parseDataset(text, 'cases.csv', 'csv'));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ file: 'cases.csv', line, column, message: expect.stringMatching(message) });
  });
});

describe('files', () => {
  it('names an unknown extension and a missing file as usage errors', () => {
    expect(refusal(() => loadDataset('cases.txt', dir))).toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect(refusal(() => loadDataset('missing.yaml', dir))).toMatchObject({ code: 'FILE_NOT_FOUND', exitCode: 2 });
  });
});
