import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTestFile, parseTestFile } from '../../src/testing/index.js';

/** The `sop test` file loader: defaults merged into cases, and every problem located in the file. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-test-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(path.join(dir, 'desk.yaml'), 'apiVersion: sop/v1\n');
writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nstrict: true\nanswers:\n  - { role: triage, action: classify, output: { category: billing } }\n');
writeFileSync(path.join(dir, 'broken-script.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: triage, actoin: classify, output: x }\n');
mkdirSync(path.join(dir, 'seed'));

/** Loads `text` as `desk.test.yaml` beside `desk.yaml`; the error's diagnostics when it is refused. */
function load(text: string) {
  return parseTestFile(text, 'desk.test.yaml', dir);
}

function refused(text: string): { code: string; message: string; diagnostics: Array<Record<string, unknown>> } {
  try {
    load(text);
  } catch (error) {
    return error as never;
  }
  throw new Error('the test file was accepted');
}

describe('loading a test file', () => {
  it('finds the SOP beside it and applies the defaults: inputs key by key, answers replaced by key, others kept', () => {
    const file = load(
      [
        'apiVersion: sop-test/v1',
        'defaults:',
        '  inputs: { ticket: "refund", lang: en }',
        '  answers:',
        '    - { role: triage, action: classify, output: { category: billing } }',
        '    - { role: reviewer, action: review, judge: { score: 9 } }',
        'cases:',
        '  - name: routes to tech',
        '    inputs: { ticket: "crash" }',
        '    answers:',
        '      - { role: triage, action: classify, output: { category: technical } }',
        '    expect: { status: completed }',
        '  - name: script file first, then its own answers',
        '    script: answers.yaml',
        '    workspace: seed',
        '    n_round: 3',
      ].join('\n'),
    );
    expect(file.sop).toBe(path.join(dir, 'desk.yaml'));
    const [first, second] = file.cases;
    expect(first?.inputs).toEqual({ ticket: 'crash', lang: 'en' });
    expect(first?.script.answers).toEqual([
      { role: 'reviewer', action: 'review', judge: { score: 9 } },
      { role: 'triage', action: 'classify', output: { category: 'technical' } },
    ]);
    expect(first?.script.strict).toBe(false);
    expect(first?.position).toEqual({ line: 8, column: 5 });
    // The script file's `strict: true` holds unless the case or the defaults say otherwise.
    expect(second?.script.strict).toBe(true);
    expect(second?.script.answers.map((answer) => answer.role)).toEqual(['triage', 'reviewer', 'triage']);
    expect(second).toMatchObject({ workspace: path.join(dir, 'seed'), nRound: 3, expect: {} });
  });

  it('reports every problem at once, each with its line and column (TEST_INVALID)', () => {
    const error = refused(
      [
        'apiVersion: sop-test/v1',
        'cases:',
        '  - name: one',
        '    expect: { stauts: completed }',
        '  - name: one',
        '    answers:',
        '      - { role: triage, action: classify, judge: { score: 3 }, output: x }',
        '  - name: three',
        '    script: broken-script.yaml',
        '    workspace: missing-folder',
      ].join('\n'),
    );
    expect(error.code).toBe('TEST_INVALID');
    expect(error.message).toMatch(/^invalid test file: desk\.test\.yaml:4:15: error SCHEMA_UNKNOWN_FIELD: unknown field `stauts`/);
    // The script and workspace checks run on the cases the schema passed: not hidden by its errors.
    expect(error.message).toMatch(/did you mean `status`\? \(and 4 more\)$/);
    const where = error.diagnostics.map((diagnostic) => [diagnostic['line'], diagnostic['column'], diagnostic['message']]);
    expect(where).toEqual(
      expect.arrayContaining([
        [4, 15, expect.stringContaining('unknown field `stauts`')],
        // At `output`, written after `judge`: the field to move into an answer of its own.
        [7, 64, 'the answer has `output` and `judge`; it takes one'],
        [5, 11, 'case name "one" is already the name of cases[0]'],
        [9, 13, expect.stringContaining('the script broken-script.yaml cannot be used')],
        [10, 16, expect.stringContaining('the workspace folder missing-folder does not exist')],
      ]),
    );
  });

  it('refuses a script or workspace that cannot be used at its own line', () => {
    const error = refused(
      [
        'apiVersion: sop-test/v1',
        'cases:',
        '  - name: one',
        '  - name: two',
        '  - name: three',
        '    script: broken-script.yaml',
        '    workspace: missing-folder',
      ].join('\n'),
    );
    const where = error.diagnostics.map((diagnostic) => [diagnostic['code'], diagnostic['line'], diagnostic['column'], diagnostic['message']]);
    expect(where).toEqual([
      ['TEST_INVALID', 6, 13, expect.stringMatching(/^the script broken-script\.yaml cannot be used: broken-script\.yaml:3:21: unknown field `actoin`$/)],
      ['FILE_NOT_FOUND', 7, 16, 'the workspace folder missing-folder does not exist (relative to desk.test.yaml)'],
    ]);
  });

  it('a `where` that is not CEL and a `matches` that is not RE2 are refused where they are written', () => {
    const error = refused(
      [
        'apiVersion: sop-test/v1',
        'cases:',
        '  - name: one',
        '    expect:',
        '      messages: [{ type: PRD, where: "payload.title ==" }]',
        '      artifacts: [{ path: a.md, matches: "(?=x)" }]',
      ].join('\n'),
    );
    expect(error.diagnostics.map((diagnostic) => [diagnostic['code'], diagnostic['line'], diagnostic['column']])).toEqual([
      // At the end of the expression, where it stops short of an operand (the closing quote).
      ['EXPRESSION_SYNTAX', 5, 55],
      ['SCHEMA_PATTERN', 6, 42],
    ]);
    expect(error.diagnostics[0]?.['message']).toMatch(/^`where` expression does not parse/);
  });

  it('an artifact path that leaves the workspace is refused where it is written, so no check reads ../../etc/passwd', () => {
    const error = refused(
      [
        'apiVersion: sop-test/v1',
        'cases:',
        '  - name: one',
        '    expect:',
        '      artifacts: [{ path: ../../etc/passwd, contains: root }, { path: /etc/hosts }, { path: docs/../../x.md }, { path: docs/prd.md }]',
      ].join('\n'),
    );
    expect(error.code).toBe('TEST_INVALID');
    expect(error.diagnostics.map((diagnostic) => [diagnostic['code'], diagnostic['line'], diagnostic['column'], diagnostic['message']])).toEqual([
      ['ARTIFACT_PATH_ESCAPE', 5, 27, 'artifact path `../../etc/passwd` leaves the workspace'],
      ['ARTIFACT_PATH_ESCAPE', 5, 71, 'artifact path `/etc/hosts` is absolute'],
      ['ARTIFACT_PATH_ESCAPE', 5, 93, 'artifact path `docs/../../x.md` leaves the workspace'],
    ]);
    expect(error.message).toMatch(/^invalid test file: desk\.test\.yaml:5:27: /);
  });

  it('a file without `apiVersion` is told the line to add', () => {
    const error = refused('cases:\n  - name: one\n');
    expect(error.code).toBe('TEST_INVALID');
    expect(error.diagnostics[0]).toMatchObject({
      line: 1,
      column: 1,
      message: 'missing `apiVersion`: a test file says which format it is written in',
      expected: '`apiVersion: sop-test/v1`',
      hint: 'add `apiVersion: sop-test/v1` as the first line',
    });
  });

  it('needs an SOP: a test file named otherwise without `sop:` is refused with what to add', () => {
    let error: any;
    try {
      parseTestFile('apiVersion: sop-test/v1\ncases:\n  - name: one\n', 'cases.yaml', dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'TEST_INVALID', diagnostics: [expect.objectContaining({ message: 'no SOP found for cases.yaml', hint: 'add `sop: my-sop.yaml`' })] });
    expect(parseTestFile('apiVersion: sop-test/v1\nsop: desk.yaml\ncases:\n  - name: one\n', 'cases.yaml', dir).sop).toBe(path.join(dir, 'desk.yaml'));
  });

  it('speaks of test files, not SOPs: an empty file, a missing file', () => {
    expect(() => load('')).toThrowError(expect.objectContaining({ code: 'TEST_INVALID', diagnostics: [expect.objectContaining({ message: 'empty test file' })] }));
    expect(() => loadTestFile('nope.test.yaml', dir)).toThrowError(expect.objectContaining({ code: 'FILE_NOT_FOUND', message: 'cannot read test file nope.test.yaml: no such file' }));
  });
});
