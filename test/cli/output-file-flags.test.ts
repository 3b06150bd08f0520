import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

/**
 * A file a run writes to as it goes (`--record`) or at its end (`--junit`) that cannot be written is
 * refused before the run starts: one line naming the flag and the path, exit 2, no run made. Before,
 * a folder given to `--record` was an internal error (exit 1), a place where no file can be made
 * failed the run at its first answer as if the model had failed (exit 10), and a folder given to
 * `--junit` was found out only after the whole run.
 */
describe('sop run: an output file flag that cannot be written', () => {
  it.each([
    ['--record', 'a folder', (cwd: string) => mkdirSync(path.join(cwd, 'out')), 'out', /^error FILE_UNWRITABLE: --record: cannot write .*out: it is a folder$/m],
    ['--record', 'a place where no file can be made', () => undefined, '/proc/run.cassette', /^error FILE_UNWRITABLE: --record: cannot write \/proc\/run\.cassette: cannot create files in \/proc \(ENOENT\)$/m],
    ['--junit', 'a folder', (cwd: string) => mkdirSync(path.join(cwd, 'out')), 'out', /^error FILE_UNWRITABLE: --junit: cannot write out: it is a folder$/m],
    ['--events', 'a folder', (cwd: string) => mkdirSync(path.join(cwd, 'out')), 'out', /^error FILE_UNWRITABLE: --events: cannot write out: it is a folder$/m],
    // Node 20's own words were `ENOTDIR: not a directory, stat 'notes.txt/x.xml'`; Node 24 said `cannot create files in ... (ENOTDIR)`.
    ['--junit', 'a path through a file', (cwd: string) => writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n'), 'notes.txt/junit.xml', /^error FILE_UNWRITABLE: --junit: cannot write notes\.txt\/junit\.xml: \/.*\/notes\.txt is a file, not a folder$/m],
    ['--junit', 'a path through a file, folders below it', (cwd: string) => writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n'), 'notes.txt/sub/junit.xml', /^error USAGE: --junit: cannot create the folder \/.*\/notes\.txt\/sub: \/.*\/notes\.txt is a file, not a folder$/m],
  ])('%s given %s is refused before the run, exit 2', async (flag, _what, prepare, value, message) => {
    const cwd = tempDir('sop-output-flags-');
    prepare(cwd);
    const result = await sop(['run', W1, 'an idea', flag, value], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('[round 1]');
    const runs = path.join(cwd, '.sop', 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
  });

  it('--record --json gives the same refusal as one envelope', async () => {
    const cwd = tempDir('sop-output-flags-');
    mkdirSync(path.join(cwd, 'out'));
    const result = await sop(['run', W1, 'an idea', '--record', 'out', '--json'], { cwd });
    expect(result.code).toBe(2);
    const envelope = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; exitCode: number; message: string } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('FILE_UNWRITABLE');
    expect(envelope.error.exitCode).toBe(2);
    expect(envelope.error.message).toMatch(/--record: cannot write .*out: it is a folder/);
  });
});

/** A file given as the workspace failed the first artifact write as an internal error (exit 1) mid-run. */
describe('sop run: --workspace given a file', () => {
  it('is refused before any round, exit 2, naming the path', async () => {
    const cwd = tempDir('sop-output-flags-');
    writeFileSync(path.join(cwd, 'notes.txt'), 'mine\n');
    const result = await sop(['run', W1, 'an idea', '--workspace', 'notes.txt'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error USAGE: cannot use ${path.join(cwd, 'notes.txt')} as the workspace: it is a file, not a folder`);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toContain('[round 1]');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(path.join(cwd, 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});

/**
 * `sop eval --out/--junit`, `sop test --junit` and `sop report --out` wrote their file at the end:
 * a folder there (or a place where no file can be made) was an internal error (exit 1) after every
 * case had run. Each is refused before the work, like `sop run --junit`.
 */
describe('eval, test and report: an output file that cannot be written', () => {

  /** A folder with `sop init`'s SOP (and its test file), a one-case dataset and an `out` folder. */
  async function project(): Promise<string> {
    const cwd = tempDir('sop-output-flags-');
    const init = await sop(['init'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: tidal\n    inputs: { topic: tidal power }\n');
    mkdirSync(path.join(cwd, 'out'));
    return cwd;
  }

  it.each([
    ['eval', ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--out', 'out'], /^error FILE_UNWRITABLE: --out: cannot write \/.*\/out: it is a folder$/m],
    ['eval', ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--junit', 'out'], /^error FILE_UNWRITABLE: --junit: cannot write \/.*\/out: it is a folder$/m],
    ['eval', ['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--out', '/proc/results.json'], /^error FILE_UNWRITABLE: --out: cannot write \/proc\/results\.json: cannot create files in \/proc \(ENOENT\)$/m],
    ['test', ['test', 'sop.yaml', '--junit', 'out'], /^error FILE_UNWRITABLE: --junit: cannot write \/.*\/out: it is a folder$/m],
  ])('sop %s %j is refused before any case, exit 2', async (_command, args, message) => {
    const cwd = await project();
    const result = await sop(args, { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(STACK_LINE);
    // No case ran: no eval record, no run record, no case line.
    expect(existsSync(path.join(cwd, '.sop', 'evals'))).toBe(false);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
    expect(result.stdout).not.toContain('✓');
  });

  it.each([
    ['out', /^error FILE_UNWRITABLE: --out: cannot write \/.*\/out: it is a folder$/m],
    ['/proc/report.html', /^error FILE_UNWRITABLE: --out: cannot write \/proc\/report\.html: cannot create files in \/proc \(ENOENT\)$/m],
  ])('sop report RUN --out %s is refused, exit 2', async (out, message) => {
    const cwd = await project();
    const run = await sop(['run', 'sop.yaml', 'tidal power', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const { result: { runId } } = JSON.parse(run.stdout) as { result: { runId: string } };
    const result = await sop(['report', runId, '--out', out], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

/** `sop lock` whose sop.lock is a folder: a file that cannot be written, not one that cannot be read (FILE_UNREADABLE said so). */
describe('sop lock: sop.lock cannot be written', () => {
  it('is FILE_UNWRITABLE naming the file, in plain words, exit 2', async () => {
    const cwd = tempDir('sop-output-flags-');
    writeFileSync(path.join(cwd, 'sop.yaml'), readFileSync(W1));
    mkdirSync(path.join(cwd, 'sop.lock'));
    const result = await sop(['lock', 'sop.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^error FILE_UNWRITABLE: cannot write \/.*\/sop\.lock: it is a folder$/m);
    expect(result.stderr).not.toContain('EISDIR');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

/** A folder given to `--replay` showed Node's EISDIR text and the hint to record a cassette first. */
describe('sop run: --replay given a folder', () => {
  it('says the path is a folder and what to give instead, exit 2', async () => {
    const cwd = tempDir('sop-output-flags-');
    mkdirSync(path.join(cwd, 'cassettes'));
    const result = await sop(['run', W1, 'an idea', '--replay', 'cassettes'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^error FILE_UNREADABLE: cassette .*cassettes is a folder, not a cassette file$/m);
    expect(result.stderr).toContain('hint: give the file `sop run SOP --record FILE` wrote');
    expect(result.stderr).not.toContain('EISDIR');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
