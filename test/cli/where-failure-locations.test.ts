import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A `where` of `sop test` and `sop eval` that fails when it is evaluated (it reads a field the
 * message or the JSON file lacks) is named at the file's line and column of the failing part (the
 * real CLI: scripted model for `sop test`, offline model for `sop eval`), not at a line and column
 * inside the expression (`expect.messages[0].where:2:11`) the user has to count out.
 */
afterAll(removeTempDirs);

const JSON_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: titled, version: 1.0.0 }
messages:
  Topic: { description: The topic }
  Draft: { description: A titled draft }
start:
  - type: Topic
    content: owls
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: json }
        artifacts:
          - path: draft.json
stop_when: { type: Draft }
`;

// Each \`where\` fails on its second line, at \`missing\`: line 13, column 23 (a folded scalar, the
// line more indented than the first), and line 18, column 20 (a literal block scalar).
const TEST_FILE = `apiVersion: sop-test/v1
cases:
  - name: reads a field the draft lacks
    inputs: { idea: owls }
    answers:
      - { role: writer, action: write, output: '{"title": "Owls"}' }
    expect:
      messages:
        - type: Draft
          count: 1
          where: >-
            payload.title == "Owls" &&
              payload.missing.deeper == 1
      artifacts:
        - path: draft.json
          where: |
            json.title == "Owls" &&
              json.missing.deeper == 1
`;

const EVAL_SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

describe('a `where` failing at run time is named at the file line and column of the failing part', () => {
  it('sop test: in the test file, in the text and in --json', async () => {
    const dir = tempDir('sop-where-test-');
    writeFileSync(path.join(dir, 'titled.yaml'), JSON_SOP);
    writeFileSync(path.join(dir, 'titled.test.yaml'), TEST_FILE);
    const env = { TMPDIR: tempDir('sop-where-tmp-') };
    const result = await sop(['test', 'titled.test.yaml'], { cwd: dir, env });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toMatch(/✗ expect\.messages\[0\]: [^]*?the `where` expression `[^`\n]*` failed: No such key: missing\n {6}at titled\.test\.yaml:13:23\n/);
    expect(result.stdout).toMatch(/✗ expect\.artifacts\[0\]: draft\.json: the `where` expression `[^`\n]*` failed: No such key: missing; the file's fields: title\n {6}at titled\.test\.yaml:18:20\n/);
    // The position inside the expression is not named: the file's is.
    expect(result.stdout).not.toContain('.where:');

    const failures = envelopeOf<any>(await sop(['test', 'titled.test.yaml', '--json'], { cwd: dir, env })).result.files[0].cases[0].failures;
    expect(failures.map((failure: any) => [failure.path, failure.location])).toEqual([
      ['expect.messages[0]', 'titled.test.yaml:13:23'],
      ['expect.artifacts[0]', 'titled.test.yaml:18:20'],
    ]);
  });

  it('sop eval: in a YAML dataset (the case, and the defaults it takes the expectation from) and on a JSONL line', async () => {
    const dir = tempDir('sop-where-eval-');
    writeFileSync(path.join(dir, 'cases.yaml'), [
      'apiVersion: sop-eval/v1',
      'cases:',
      '  - name: own where',
      '    inputs: { idea: spring }',
      '    expect:',
      '      messages:',
      '        - type: Answer',
      '          where: >-',
      '            message.type == "Answer" &&',
      '              message.nothing.deeper == 1',
      '',
    ].join('\n'));
    const yaml = await sop(['eval', EVAL_SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(yaml.code, yaml.stdout + yaml.stderr).toBe(0);
    expect(yaml.stderr).not.toMatch(STACK_LINE);
    // `nothing` on line 10, column 23.
    expect(yaml.stdout).toMatch(/^ {2}cases\.yaml:10:23: expect\.messages\[0\]: [^]*?the `where` expression `[^`\n]*` failed: No such key: nothing/m);
    expect(yaml.stdout).not.toContain('.where:');

    writeFileSync(path.join(dir, 'defaults.yaml'), [
      'apiVersion: sop-eval/v1',
      'defaults:',
      '  expect:',
      '    messages:',
      '      - type: Answer',
      '        where: "message.type == \\"Answer\\" &&',
      '          message.nothing.deeper == 1"',
      'cases:',
      '  - name: where from the defaults',
      '    inputs: { idea: autumn }',
      '',
    ].join('\n'));
    const runs = envelopeOf<any>(await sop(['eval', EVAL_SOP, '--dataset', 'defaults.yaml', '--json'], { cwd: dir })).result.runs;
    // A double-quoted scalar over two lines: `nothing` on line 7, column 19.
    expect(runs[0].failures.map((failure: any) => [failure.path, failure.location])).toEqual([['expect.messages[0]', 'defaults.yaml:7:19']]);

    const line = '{"name": "j", "inputs": {"idea": "q"}, "expect": {"messages": [{"type": "Answer", "where": "message.type == \\"Answer\\" &&\\n  message.nothing.deeper == 1"}]}}';
    writeFileSync(path.join(dir, 'cases.jsonl'), `{"name": "first", "inputs": {"idea": "p"}}\n${line}\n`);
    const jsonl = await sop(['eval', EVAL_SOP, '--dataset', 'cases.jsonl'], { cwd: dir });
    expect(jsonl.code, jsonl.stdout + jsonl.stderr).toBe(0);
    // The expression's second line is after a `\n` escape on the case's line: `nothing` there.
    expect(jsonl.stdout).toContain(`\n  cases.jsonl:2:${line.indexOf('nothing') + 1}: expect.messages[0]: `);
  });

  it('a `where` that does not parse on its second line is refused (exit 2) at that line and column, in a test file and a dataset', async () => {
    const dir = tempDir('sop-where-syntax-');
    writeFileSync(path.join(dir, 'titled.yaml'), JSON_SOP);
    const broken = TEST_FILE.replace('payload.missing.deeper == 1', 'payload.count > > 1');
    writeFileSync(path.join(dir, 'titled.test.yaml'), broken);
    const test = await sop(['test', 'titled.test.yaml'], { cwd: dir });
    expect(test.code, test.stdout + test.stderr).toBe(2);
    expect(test.stderr).not.toMatch(STACK_LINE);
    // The second `>` of line 13.
    expect(test.stderr).toContain('titled.test.yaml:13:31: error EXPRESSION_SYNTAX: `where` expression does not parse');

    writeFileSync(path.join(dir, 'cases.yaml'), [
      'apiVersion: sop-eval/v1',
      'cases:',
      '  - name: broken where',
      '    inputs: { idea: spring }',
      '    expect:',
      '      messages:',
      '        - type: Answer',
      '          where: |',
      '            message.type == "Answer" &&',
      '              size(message.payload) > > 1',
      '',
    ].join('\n'));
    const evaluated = await sop(['eval', EVAL_SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(evaluated.code, evaluated.stdout + evaluated.stderr).toBe(2);
    expect(evaluated.stderr).not.toMatch(STACK_LINE);
    expect(evaluated.stderr).toContain('cases.yaml:10:39: error EXPRESSION_SYNTAX: `where` expression does not parse');
  });
});

describe('a failing multi-line `where` is quoted in part: the location points at the rest', () => {
  // Four lines; the third fails (`missing` on line 14, column 21). The message printed the
  // expression whole twice, lines and all: in the entry's label and in the reason.
  const LONG_WHERE = `apiVersion: sop-test/v1
cases:
  - name: reads a field the draft lacks
    inputs: { idea: owls }
    answers:
      - { role: writer, action: write, output: '{"title": "Owls"}' }
    expect:
      messages:
        - type: Draft
          count: 1
          where: |
            payload.title == "Owls" &&
            size(payload.title) > 1 &&
            payload.missing.deeper == 1 &&
            payload.title != "Bats"
`;

  it('sop test: the first line with `…` in the label, the failing line in the reason, each once', async () => {
    const dir = tempDir('sop-where-excerpt-');
    writeFileSync(path.join(dir, 'titled.yaml'), JSON_SOP);
    writeFileSync(path.join(dir, 'titled.test.yaml'), LONG_WHERE);
    const result = await sop(['test', 'titled.test.yaml'], { cwd: dir, env: { TMPDIR: tempDir('sop-where-tmp-') } });
    expect(result.code, result.stdout + result.stderr).toBe(16);
    expect(result.stdout).toContain([
      '  ✗ expect.messages[0]: Draft message(s) where payload.title == "Owls" && …: the `where` expression `… payload.missing.deeper == 1 && …` failed: No such key: missing',
      '      at titled.test.yaml:14:21',
    ].join('\n'));
    expect(result.stdout.split('payload.missing.deeper').length - 1).toBe(1);
    expect(result.stdout).not.toContain('size(payload.title) > 1');
    expect(result.stdout).not.toContain('payload.title != "Bats"');
  });

  it('sop eval: the same in the failure list', async () => {
    const dir = tempDir('sop-where-excerpt-eval-');
    writeFileSync(path.join(dir, 'cases.yaml'), [
      'apiVersion: sop-eval/v1',
      'cases:',
      '  - name: long where',
      '    inputs: { idea: spring }',
      '    expect:',
      '      messages:',
      '        - type: Answer',
      '          where: |',
      '            message.type == "Answer" &&',
      '            message.nothing.deeper == 1 &&',
      '            size(message.type) > 1',
      '',
    ].join('\n'));
    const result = await sop(['eval', EVAL_SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}cases\.yaml:10:21: expect\.messages\[0\]: Answer message\(s\) where message\.type == "Answer" && …: the `where` expression `… message\.nothing\.deeper == 1 && …` failed: No such key: nothing \(SOP: /m);
    expect(result.stdout.split('message.nothing.deeper').length - 1).toBe(1);
    expect(result.stdout).not.toContain('size(message.type) > 1');
  });
});
