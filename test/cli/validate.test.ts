import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, badFixturesDir, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/** Each fixture in test/fixtures/bad and the code it must be refused with (see its README). */
const BAD_FIXTURES: Array<[file: string, code: string]> = [
  ['empty.yaml', 'YAML_EMPTY'],
  ['syntax-error.yaml', 'YAML_SYNTAX'],
  ['root-is-list.yaml', 'YAML_NOT_MAPPING'],
  ['unknown-api-version.yaml', 'API_VERSION_UNSUPPORTED'],
  ['alias-bomb.yaml', 'YAML_ALIAS_LIMIT'],
  ['duplicate-keys.yaml', 'YAML_DUPLICATE_KEY'],
  ['typo-field.yaml', 'SCHEMA_UNKNOWN_FIELD'],
  ['undeclared-message-type.yaml', 'MESSAGE_TYPE_UNDECLARED'],
  ['template-syntax-error.yaml', 'TEMPLATE_SYNTAX'],
  ['artifact-path-escape.yaml', 'ARTIFACT_PATH_ESCAPE'],
  ['bad-schema-in-message.yaml', 'PAYLOAD_SCHEMA_INVALID'],
];
const ALL_FILES = [...BAD_FIXTURES.map(([name]) => name), 'unreachable-role.yaml'];

interface JsonReport {
  files: Array<{
    file: string;
    valid: boolean;
    diagnostics: Array<{ code: string; severity: string; file?: string; line?: number; column?: number }>;
  }>;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// One process per output format over every fixture: the CLI validates all files in one pass.
let text: CliResult;
let json: CliResult;
beforeAll(async () => {
  [text, json] = await Promise.all([
    sop(['validate', ...ALL_FILES], { cwd: badFixturesDir }),
    sop(['validate', '--json', ...ALL_FILES, 'missing.yaml'], { cwd: badFixturesDir }),
  ]);
});

describe('sop validate on the bad fixtures (text)', () => {
  it('exits 3 and never prints a stack', () => {
    expect(text.code).toBe(3);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(STACK_LINE);
  });

  it.each(BAD_FIXTURES)('%s: `file:line:col: error %s: message`', (name, code) => {
    expect(text.stdout).toMatch(new RegExp(`^${escapeRegExp(name)}:\\d+:\\d+: error ${code}: \\S`, 'm'));
  });

  it('unreachable-role.yaml only warns (ROLE_UNREACHABLE names the role)', () => {
    expect(text.stdout).toMatch(/^unreachable-role\.yaml:\d+:\d+: warning ROLE_UNREACHABLE: .*`editor`/m);
    expect(text.stdout).not.toMatch(/^unreachable-role\.yaml:\d+:\d+: error/m);
  });

  it('prints expected/hint lines and a code frame under the diagnostic', () => {
    const block = text.stdout.slice(text.stdout.indexOf('typo-field.yaml:11:5: error SCHEMA_UNKNOWN_FIELD'));
    expect(block).toMatch(/^typo-field\.yaml:11:5: error SCHEMA_UNKNOWN_FIELD: unknown field `wacth`\n {2}expected: .*watch.*\n {2}hint: did you mean `watch`\?\n/);
    expect(block).toMatch(/^\s+> 11 \| {5}wacth: \[UserRequirement\]$/m);
    expect(block).toMatch(/^\s+\| {5}\^$/m);
  });

  it('ends with a summary line over all files', () => {
    const errors = (text.stdout.match(/^\S+:\d+:\d+: error /gm) ?? []).length;
    const warnings = (text.stdout.match(/^\S+:\d+:\d+: warning /gm) ?? []).length;
    const summary = text.stdout.trim().split('\n').at(-1);
    expect(summary).toBe(`12 files: 1 valid, 11 invalid, ${errors} errors, ${warnings} warnings`);
  });
});

describe('sop validate --json', () => {
  it('prints only {files: [...]} on stdout, one entry per file, in order', () => {
    expect(json.code).toBe(3);
    const report = resultOf(json) as JsonReport;
    expect(Object.keys(report)).toEqual(['files']);
    expect(report.files.map((f) => f.file)).toEqual([...ALL_FILES, 'missing.yaml']);
    expect(report.files.filter((f) => f.valid).map((f) => f.file)).toEqual(['unreachable-role.yaml']);
    for (const [name, code] of BAD_FIXTURES) {
      const entry = report.files.find((f) => f.file === name);
      expect(entry?.diagnostics).toContainEqual(expect.objectContaining({ code, severity: 'error', line: expect.any(Number) }));
    }
    const typo = report.files.find((f) => f.file === 'typo-field.yaml')?.diagnostics[0];
    expect(typo).toMatchObject({ code: 'SCHEMA_UNKNOWN_FIELD', file: 'typo-field.yaml', line: 11, column: 5 });
    const missing = report.files.at(-1);
    expect(missing).toMatchObject({ valid: false, diagnostics: [expect.objectContaining({ code: 'FILE_NOT_FOUND' })] });
  });

  it('--format json prints the same as --json', async () => {
    const same = await sop(['validate', '--format', 'json', ...ALL_FILES, 'missing.yaml'], { cwd: badFixturesDir });
    expect(same.stdout).toBe(json.stdout);
  });
});

describe('sop validate: exit codes and other formats', () => {
  it('only a missing file: exit 2, FILE_NOT_FOUND, counted as unreadable', async () => {
    const result = await sop(['validate', 'does-not-exist.yaml'], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^does-not-exist\.yaml: error FILE_NOT_FOUND: /m);
    expect(result.stdout).toMatch(/^1 file: 0 valid, 0 invalid, 1 unreadable, 1 error, 0 warnings$/m);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  });

  it('a missing SOP file next to one of a near name (case, .yml for .yaml, a typo): the hint names that file, as the path was typed', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'team.yaml'), 'apiVersion: sop/v1\n');
    writeFileSync(path.join(cwd, 'notes.txt'), 'not an SOP\n');
    for (const typed of ['Team.yaml', 'team.yml', 'taem.yaml']) {
      const result = await sop(['run', typed, 'an idea'], { cwd });
      expect(result.code, typed).toBe(2);
      expect(result.stderr).toContain(`${typed}: error FILE_NOT_FOUND: no such file: ${typed}\n  hint: did you mean \`team.yaml\`?`);
    }
    const far = await sop(['validate', 'notes.yaml'], { cwd });
    expect(far.stdout).toContain('hint: check the path (relative paths start from the current folder)');
  });

  it('only warnings: exit 0', async () => {
    const result = await sop(['validate', 'unreachable-role.yaml'], { cwd: badFixturesDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 file: 1 valid, 0 invalid, 0 errors, \d+ warnings?$/m);
  });

  it('--format github prints one workflow annotation per diagnostic', async () => {
    const result = await sop(['validate', '--format', 'github', 'typo-field.yaml', 'unreachable-role.yaml'], { cwd: badFixturesDir });
    expect(result.code).toBe(3);
    const lines = result.stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^::(error|warning) file=[^,]+(,line=\d+,col=\d+)?,title=[A-Z_]+::\S/);
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=typo-field\.yaml,line=11,col=5,title=SCHEMA_UNKNOWN_FIELD::unknown field `wacth`%0Aexpected: /));
    expect(lines).toContainEqual(expect.stringMatching(/^::warning file=unreachable-role\.yaml,line=\d+,col=\d+,title=ROLE_UNREACHABLE::/));
    expect(result.stderr).toMatch(/^2 files: 1 valid, 1 invalid/m);
  });

  it('an unknown --format is a usage error', async () => {
    const result = await sop(['validate', '--format', 'xml', 'typo-field.yaml'], { cwd: badFixturesDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format');
  });
});

describe('sop validate reads test files, eval datasets and scripts as what they are', () => {
  it('the SOPs folder as its help example gives it (`sops/*.yaml`): the SOP and its test file are both valid', async () => {
    const result = await sop(['validate', 'sops/software-company.test.yaml', 'sops/software-company.yaml'], { cwd: repoRoot });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('sops/software-company.test.yaml: valid (test file)\nsops/software-company.yaml: valid\n2 files: 2 valid, 0 invalid, 0 errors, 0 warnings\n');
  });

  it('each mistake located in its own file, a test file checked against its SOP; kinds in --json', async () => {
    const dir = tempDir();
    expect((await sop(['init', dir])).code).toBe(0);
    const tests = readFileSync(path.join(dir, 'sop.test.yaml'), 'utf8');
    expect(tests).toContain('inputs: { idea: ');
    writeFileSync(path.join(dir, 'typo.test.yaml'), `${tests.replace('inputs: { idea: ', 'inputs: { idee: ')}sop: sop.yaml\n`);
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - nme: first\n');
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    const files = ['sop.yaml', 'sop.test.yaml', 'typo.test.yaml', 'cases.yaml', 'answers.yaml'];
    const text = await sop(['validate', ...files], { cwd: dir });
    expect(text.code).toBe(2);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(STACK_LINE);
    expect(text.stdout).toMatch(/^sop\.test\.yaml: valid \(test file\)$/m);
    expect(text.stdout).toMatch(/^typo\.test\.yaml:\d+:\d+: error INPUT_INVALID: the SOP has no input `idee`\n {2}expected: an input the SOP declares: idea\n {2}hint: did you mean `idea`\?$/m);
    expect(text.stdout).toMatch(/^cases\.yaml:3:5: error SCHEMA_UNKNOWN_FIELD: unknown field `nme`$/m);
    // A script names no SOP: its names are checked with --script, which the line names with the SOP given.
    expect(text.stdout).toMatch(/^answers\.yaml: valid \(script; its roles, actions and gates are not checked against an SOP: `sop validate sop\.yaml --script answers\.yaml`\)$/m);
    expect(text.stdout).toMatch(/^5 files: 3 valid, 2 invalid, \d+ errors, 0 warnings$/m);
    expect(text.stdout).not.toContain('API_VERSION_UNSUPPORTED');

    const json = resultOf<JsonReport & { files: Array<{ kind: string }> }>(await sop(['validate', '--json', ...files], { cwd: dir }));
    expect(json.files.map(({ file, kind, valid }) => [file, kind, valid])).toEqual([
      ['sop.yaml', 'sop', true],
      ['sop.test.yaml', 'test', true],
      ['typo.test.yaml', 'test', false],
      ['cases.yaml', 'dataset', false],
      ['answers.yaml', 'script', true],
    ]);
  });

  it("a test file whose only mistakes are inputs its SOP would refuse exits 2, as `sop test` does, and is invalid, not unreadable", async () => {
    const dir = tempDir();
    expect((await sop(['init', dir])).code).toBe(0);
    const tests = readFileSync(path.join(dir, 'sop.test.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'sop.test.yaml'), tests.replace('inputs: { idea: ', 'inputs: { idee: '));
    const result = await sop(['validate', 'sop.test.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    // One error, at the misspelt name (not also one INPUT_MISSING per case for the input it was meant as).
    expect(result.stdout).toMatch(/^1 file: 0 valid, 1 invalid, 1 error, 0 warnings$/m);
    expect((await sop(['test', 'sop.test.yaml'], { cwd: dir })).code).toBe(2);
  });

  it('a broken dataset, test file or script exits 2 with the code its own command refuses it with (it was 3 under sop validate); an invalid SOP is still 3', async () => {
    const dir = tempDir();
    expect((await sop(['init', dir])).code).toBe(0);
    writeFileSync(path.join(dir, 'cases.csv'), 'idea\n"never closed\n');
    writeFileSync(path.join(dir, 'cases.jsonl'), '{"inputs": {"idea": "x"}\n');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - nme: first\n');
    writeFileSync(path.join(dir, 'broken.test.yaml'), readFileSync(path.join(dir, 'sop.test.yaml'), 'utf8').replace('cases:', 'casez:'));
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: 3\n');
    const envelope = async (args: string[]): Promise<[number, string]> => {
      const parsed = JSON.parse((await sop([...args, '--json'], { cwd: dir })).stdout) as { exitCode: number; error: { code: string } };
      return [parsed.exitCode, parsed.error.code];
    };
    const owned: Array<[string, string[], string]> = [
      ['cases.csv', ['eval', 'sop.yaml', '--dataset', 'cases.csv', '--model', 'offline'], 'DATASET_INVALID'],
      ['cases.jsonl', ['eval', 'sop.yaml', '--dataset', 'cases.jsonl', '--model', 'offline'], 'DATASET_INVALID'],
      ['cases.yaml', ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'offline'], 'DATASET_INVALID'],
      ['broken.test.yaml', ['test', 'broken.test.yaml'], 'TEST_INVALID'],
      ['answers.yaml', ['run', 'sop.yaml', 'an idea', '--model', 'script:answers.yaml'], 'SCRIPT_INVALID'],
    ];
    for (const [file, own, code] of owned) {
      expect([file, ...(await envelope(['validate', file]))]).toEqual([file, 2, code]);
      expect([file, ...(await envelope(own))]).toEqual([file, 2, code]);
      // Beside a valid SOP too; the text says each problem with its own code.
      const text = await sop(['validate', 'sop.yaml', file], { cwd: dir });
      expect(text.code, text.stdout).toBe(2);
      expect(text.stdout).toMatch(/error (SCHEMA|JSON)_[A-Z_]+: /);
    }
    // An invalid SOP among them is exit 3, as `sop run` and `sop eval` refuse it; so is a test file whose SOP does not load.
    writeFileSync(path.join(dir, 'sop.yaml'), `${readFileSync(path.join(dir, 'sop.yaml'), 'utf8')}\nstray: [\n`);
    expect((await sop(['validate', 'sop.yaml', 'cases.csv'], { cwd: dir })).code).toBe(3);
    expect((await sop(['validate', 'sop.test.yaml'], { cwd: dir })).code).toBe(3);
  });
});
