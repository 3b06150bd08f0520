import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** `sop init`'s project (its SOP reads the input `idea`), its test file edited by `edit`. */
async function project(edit: (testFile: string) => string = (text) => text): Promise<string> {
  const dir = tempDir();
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const testFile = path.join(dir, 'p', 'sop.test.yaml');
  writeFileSync(testFile, edit(readFileSync(testFile, 'utf8')));
  return path.join(dir, 'p');
}

/** The diagnostic headers (`FILE:LINE:COL: error CODE: message`) of an output. */
function headers(output: string): string[] {
  return output.split('\n').filter((line) => /^\S+:\d+:\d+: (error|warning) /.test(line));
}

describe('sop test: a case input the SOP cannot take is refused before any case runs, where it is written', () => {
  it('an input the SOP does not declare: INPUT_INVALID at its key, with the nearest name; nothing runs', async () => {
    const cwd = await project((text) => text.replace('  inputs: { idea: tidal power }', '  inputs: { idea: tidal power, ideaz: x }'));
    const result = await sop(['test', 'sop.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stderr)).toEqual(['sop.test.yaml:5:32: error INPUT_INVALID: the SOP has no input `ideaz`']);
    expect(result.stderr).toContain('  expected: an input the SOP declares: idea\n  hint: did you mean `idea`?\n');
    expect(result.stderr).not.toContain('expect.status');
  });

  it('a required input no case gives: INPUT_MISSING at the `inputs` written; a case that expects the refusal still runs', async () => {
    const cwd = await project((text) => text.replace('  inputs: { idea: tidal power }', '  inputs: {}'));
    const result = await sop(['test', 'sop.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(headers(result.stderr)).toEqual([
      'sop.test.yaml:5:3: error INPUT_MISSING: case "the reviewer approves the draft" does not give the required input `idea` (string)',
      'sop.test.yaml:5:3: error INPUT_MISSING: case "the reviewer lists what to fix" does not give the required input `idea` (string)',
    ]);

    const expecting = await project((text) =>
      `${text.replace('  inputs: { idea: tidal power }', '  inputs: {}').replace(/\ncases:\n[^]*$/, '\ncases:\n')}  - name: no idea is refused\n    expect: { error: INPUT_MISSING, exit_code: 2 }\n`,
    );
    const ran = await sop(['test', 'sop.yaml'], { cwd: expecting });
    expect(ran.stdout).toContain('✓ no idea is refused');
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
  });
});

describe('sop test: a schema error does not hide the inputs the SOP would refuse', () => {
  it('a schema error in one case and an undeclared input in another: both in one refusal, where each is written', async () => {
    const cwd = await project((text) =>
      text
        .replace('  - name: the reviewer approves the draft\n', '  - name: the reviewer approves the draft\n    n_round: -1\n')
        .replace('  - name: the reviewer lists what to fix\n', '  - name: the reviewer lists what to fix\n    inputs: { ideaz: waves }\n'),
    );
    const result = await sop(['test', 'sop.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stderr)).toEqual([
      'sop.test.yaml:15:14: error SCHEMA_VIOLATION: must be at least 1',
      'sop.test.yaml:30:15: error INPUT_INVALID: the SOP has no input `ideaz`',
    ]);
    expect(result.stderr).toContain('  expected: an input the SOP declares: idea\n  hint: did you mean `idea`?\n');
  });

  it('in the same case; an input value the schema refuses is its error alone, not also a missing input', async () => {
    const cwd = await project((text) =>
      text.replace('  - name: the reviewer lists what to fix\n', '  - name: the reviewer lists what to fix\n    n_round: 0\n    inputs: { idea: [tides, waves], ideaz: waves }\n'),
    );
    const result = await sop(['test', 'sop.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(headers(result.stderr)).toEqual([
      'sop.test.yaml:29:14: error SCHEMA_VIOLATION: must be at least 1',
      'sop.test.yaml:30:21: error SCHEMA_TYPE: expected a string or a number or true or false, got a list',
      'sop.test.yaml:30:37: error INPUT_INVALID: the SOP has no input `ideaz`',
    ]);
  });
});

describe('sop test --filter: a case it leaves out does not refuse the file', () => {
  /** The second case (work in progress) gives an input the SOP does not declare, and an empty text for its required input. */
  const wip = (text: string): string => text.replace('  - name: the reviewer lists what to fix\n', '  - name: the reviewer lists what to fix\n    inputs: { ideaz: waves, idea: "" }\n');

  it('its bad inputs are one warning line naming it; the selected case runs and passes', async () => {
    const cwd = await project(wip);
    const result = await sop(['test', 'sop.yaml', '--filter', 'approves'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ the reviewer approves the draft');
    expect(result.stdout).not.toContain('lists what to fix');
    expect(result.stderr).toBe('warning: --filter left out a case whose inputs the SOP would refuse: "the reviewer lists what to fix" (sop.test.yaml:29:15)\n');

    const json = await sop(['test', 'sop.yaml', '--filter', 'approves', '--json'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).warnings).toEqual([{ message: '--filter left out a case whose inputs the SOP would refuse: "the reviewer lists what to fix" (sop.test.yaml:29:15)' }]);
  });

  it('selected, its bad inputs are refused as without --filter: every one, where it is written, nothing runs', async () => {
    const cwd = await project(wip);
    const result = await sop(['test', 'sop.yaml', '--filter', 'what to fix'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stderr)).toEqual([
      'sop.test.yaml:29:15: error INPUT_INVALID: the SOP has no input `ideaz`',
      'sop.test.yaml:29:35: error INPUT_MISSING: input "idea" (string) is required and was given empty',
    ]);
    expect(result.stderr).not.toContain('warning');
  });
});

describe('sop test --filter: a test file is still checked whole, and a mistake in a case it leaves out names that case', () => {
  /** The second case (work in progress): a schema error and a `where` that does not parse. */
  const broken = (text: string): string =>
    text
      .replace('  - name: the reviewer lists what to fix\n', '  - name: the reviewer lists what to fix\n    n_round: -1\n')
      .replace('where: "!payload.approved && size(payload.issues) == 1"', 'where: "!payload.approved &&"');

  it('refused (exit 2, nothing runs), each message naming the field and the case the filter left out', async () => {
    const cwd = await project(broken);
    const result = await sop(['test', 'sop.yaml', '--filter', 'approves'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(headers(result.stderr)).toEqual([
      'sop.test.yaml:29:14: error SCHEMA_VIOLATION: must be at least 1 (`n_round` of case "the reviewer lists what to fix", which --filter leaves out: a test file is checked whole)',
      'sop.test.yaml:35:55: error EXPRESSION_SYNTAX: `where` expression does not parse: Unexpected token: EOF (`expect.messages[0].where` of case "the reviewer lists what to fix", which --filter leaves out: a test file is checked whole)',
    ]);
  });

  it('the case the filter selects, or no filter: the messages as they always read', async () => {
    const cwd = await project(broken);
    for (const args of [['--filter', 'what to fix'], []]) {
      const result = await sop(['test', 'sop.yaml', ...args], { cwd });
      expect(result.code).toBe(2);
      expect(headers(result.stderr)).toEqual([
        'sop.test.yaml:29:14: error SCHEMA_VIOLATION: must be at least 1',
        'sop.test.yaml:35:55: error EXPRESSION_SYNTAX: `where` expression does not parse: Unexpected token: EOF',
      ]);
    }
  });

  it('`sop test --help` says so', async () => {
    const help = await sop(['test', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Each test file is still checked whole: a mistake in a case it leaves out refuses the file (exit 2, naming the case)');
  });
});

describe('sop test: every problem of every test file at once', () => {
  it('two invalid test files: both files\' errors; a schema error does not hide the CEL syntax and path escape beside it', async () => {
    const cwd = await project();
    mkdirSync(path.join(cwd, 'tests'));
    writeFileSync(
      path.join(cwd, 'tests', 'a.test.yaml'),
      'apiVersion: sop-test/v1\nsop: ../sop.yaml\ncases:\n  - name: one\n    n_round: -1\n    expect:\n      messages:\n        - { type: Review, where: "payload.approved &&" }\n      artifacts:\n        - { path: ../../etc/passwd }\n',
    );
    writeFileSync(path.join(cwd, 'tests', 'b.test.yaml'), 'apiVersion: sop-test/v1\nsop: ../sop.yaml\ncases:\n  - name: two\n    expect:\n      statuz: completed\n');
    const result = await sop(['test', '.'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(headers(result.stderr)).toEqual([
      `${path.join('tests', 'a.test.yaml')}:5:14: error SCHEMA_VIOLATION: must be at least 1`,
      `${path.join('tests', 'a.test.yaml')}:8:54: error EXPRESSION_SYNTAX: \`where\` expression does not parse: Unexpected token: EOF`,
      `${path.join('tests', 'a.test.yaml')}:10:19: error ARTIFACT_PATH_ESCAPE: artifact path \`../../etc/passwd\` leaves the workspace`,
      `${path.join('tests', 'b.test.yaml')}:6:7: error SCHEMA_UNKNOWN_FIELD: unknown field \`statuz\``,
    ]);
  });
});
