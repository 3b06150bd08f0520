import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_SOP, project, removeTempDirs, sop, sopWith, STACK_LINE } from './qa-helpers.js';

afterAll(removeTempDirs);

describe('sop runs with damaged run folders', () => {
  it('--runs-dir naming a file: USAGE, exit 2 (was "no runs", exit 0)', async () => {
    const dir = project({ 'notes.txt': 'x' });
    const result = await sop(['runs', '--runs-dir', 'notes.txt'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --runs-dir notes.txt is a file, not a folder\n  hint: give the folder run records are written to (default .sop/runs)\n');
  });

  it('sop run with --runs-dir naming a file: USAGE naming the file, exit 2, nothing run', async () => {
    const dir = project({ 'notes.txt': 'x', 'sop.yaml': BASE_SOP });
    const result = await sop(['run', 'sop.yaml', 'an idea', '--runs-dir', 'notes.txt'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: the runs folder ${path.join(dir, 'notes.txt')} is a file, not a folder`);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a damaged report.json shows "unreadable" (not "running"), a run without report nor holder "crashed", skipped folders are named, no "null" in the table', async () => {
    const dir = project({});
    const runs = path.join(dir, '.sop', 'runs');
    const write = (name: string, files: Record<string, string>): void => {
      mkdirSync(path.join(runs, name), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(runs, name, file), text);
    };
    const info = (id: string): string => JSON.stringify({ id, sop: { name: 'qa' }, started: '2026-01-01T00:00:00.000Z' });
    write('20260101-000000-aaaaaa', { 'run.json': info('20260101-000000-aaaaaa'), 'report.json': '{"status": "compl' });
    write('20260101-000001-bbbbbb', { 'run.json': '[]' });
    write('20260101-000002-cccccc', { 'run.json': info('20260101-000002-cccccc') });
    const result = await sop(['runs'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(/^20260101-000002-cccccc +qa +crashed +2026-01-01T00:00:00.000Z +- +- +-$/),
      expect.stringMatching(/^20260101-000000-aaaaaa +qa +unreadable +2026-01-01T00:00:00.000Z +- +- +-$/),
    ]);
    expect(result.stderr).toMatch(/^warning: \.sop[/\\]runs[/\\]20260101-000000-aaaaaa[/\\]report\.json is not valid JSON; its status is unknown$/m);
    expect(result.stderr).toMatch(/^warning: skipped \.sop[/\\]runs[/\\]20260101-000001-bbbbbb: no readable run record \(journal\.jsonl's first line, or an older version's run\.json\)/m);

    // --status finds each by the status shown; the warning comes with the run it names only.
    const unreadable = await sop(['runs', '--status', 'unreadable'], { cwd: dir });
    expect(unreadable.stdout.split('\n').slice(1)).toEqual([expect.stringMatching(/^20260101-000000-aaaaaa +qa +unreadable /), '']);
    expect(unreadable.stderr).toContain('report.json is not valid JSON; its status is unknown');
    const crashed = await sop(['runs', '--status', 'crashed'], { cwd: dir });
    expect(crashed.stdout.split('\n').slice(1)).toEqual([expect.stringMatching(/^20260101-000002-cccccc +qa +crashed /), '']);
    expect(crashed.stderr).not.toContain('is not valid JSON');
  });
});

describe('flag errors', () => {
  it('an out-of-range flag value: one line naming the flag and a hint, exit 2 (no tab-indented oclif text)', async () => {
    const result = await sop(['doctor', '--timeout', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --timeout: must be at least 1, got `0`\n  hint: see `sop doctor --help`\n');
  });

  it.each([
    [['view', '--port', '99999'], '--port: must be at most 65535, got `99999`'],
    [['view', '--port', 'abc'], '--port: must be a whole number, got `abc`'],
  ])('an integer flag out of its bounds or not a number is said as sop says --n-round\'s (oclif said "expected an integer less than or equal to 65535 but received: 99999"): sop %j', async (argv, message) => {
    const result = await sop(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error USAGE: ${message}\n  hint: see \`sop view --help\`\n`);
  });

  it('a flag whose own parser refuses the value: its message once, not wrapped in "Parsing --investment"', async () => {
    const result = await sop(['run', 'nowhere.yaml', 'x', '--investment', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --investment: must be a positive number, got "-1"\n  hint: e.g. --investment 2.5\n');
  });
});

describe('output for odd input', () => {
  it('sop graph: `&` in a profile is encoded for Mermaid (`&amp;` would render as `&`)', async () => {
    const dir = project({ 'sop.yaml': sopWith('profile: Writer', 'profile: "R&D &amp; ops"') });
    const result = await sop(['graph', 'sop.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}role_writer\["R#38;D #38;amp; ops<br\/>writer"\]$/m);
  });

  it('an error on a 200 000-character line: the code frame shows a window around the column', async () => {
    const dir = project({ 'sop.yaml': sopWith('profile: Writer', `profile: ${'W'.repeat(200_000)} x: y`) });
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stdout.length).toBeLessThan(3000);
    const frame = result.stdout.split('\n').filter((line) => line.startsWith('  > 10 |'));
    expect(frame.length).toBeGreaterThan(0);
    expect(frame.every((line) => line.length < 160)).toBe(true);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  });

  it('BASE_SOP itself is valid (the other tests change one thing each)', async () => {
    expect((await sop(['validate', 'sop.yaml'], { cwd: project({ 'sop.yaml': BASE_SOP }) })).code).toBe(0);
  });
});

describe('a $ref schema file that is not JSON', () => {
  // JSON.parse's words leaked ("Unexpected token 'o', "{"type": object}" is not valid JSON"), located at the $ref, not in the file.
  it.each([
    ['{"type": object}\n', 's.json:1:10: error FILE_REF_INVALID: `s.json` is not valid JSON: unexpected `object`'],
    ['{"type": "object",}\n', 's.json:1:19: error FILE_REF_INVALID: `s.json` is not valid JSON: expected a double-quoted property name'],
    ['{"type": "object"\n', 's.json:1:18: error FILE_REF_INVALID: `s.json` is not valid JSON: expected `}`'],
  ])('%j: where it breaks, in words', async (json, said) => {
    const cwd = project({ 'sop.yaml': sopWith('  Draft: {}', '  Draft: {schema: {$ref: s.json}}'), 's.json': json });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(said);
  });
});

describe('a misspelt value is not read as its default by the warnings', () => {
  it('`format: jsn` is SCHEMA_ENUM only: no SCHEMA_UNUSED saying the action "writes `format: text`"', async () => {
    const text = sopWith('  Draft: {}', '  Draft: {schema: {type: object}}').replace('output: {type: Draft}', 'output: {type: Draft, format: jsn}');
    const result = await sop(['validate', 'sop.yaml'], { cwd: project({ 'sop.yaml': text }) });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('error SCHEMA_ENUM: `jsn` is not allowed here');
    expect(result.stdout).not.toContain('SCHEMA_UNUSED');
  });
});
