import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A write to /dev/full fails with ENOSPC, as a full disk does once the run has ended. */
const FULL = '/dev/full';
const NO_SPACE = 'cannot write /dev/full: no space left on the device (ENOSPC)';

describe.skipIf(!statSync(FULL, { throwIfNoEntry: false })?.isCharacterDevice())('a report the run cannot write at its end (--junit, --events, --out on a full disk)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = tempDir('sop-unwritten-');
    // Two rounds (a writer, a reviewer) with its passing test file.
    const init = await sop(['init', 'p'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
  });

  it('sop run keeps the run\'s summary and adds one error per flag, naming it, the file and the cause; exit 14', { timeout: 30_000 }, async () => {
    const ran = await sop(['run', 'answer.yaml', '--input', 'idea=x', '--junit', FULL, '--events', FULL], { cwd });
    expect(ran.code, ran.stderr).toBe(14);
    // How the run ended, as without the flags.
    expect(ran.stderr).toMatch(/^status: completed after 1 round$/m);
    expect(ran.stderr).toMatch(/^artifacts: 1 written to workspace\/answer$/m);
    expect(ran.stderr).toMatch(/^exit code: 14$/m);
    // Then what could not be written, once each, after the summary.
    const junit = ran.stderr.indexOf(`error STORAGE_NO_SPACE: --junit: ${NO_SPACE}`);
    const events = ran.stderr.indexOf(`error STORAGE_NO_SPACE: --events: ${NO_SPACE}`);
    expect([junit > ran.stderr.indexOf('status: completed'), events > junit], ran.stderr).toEqual([true, true]);
    expect(ran.stderr.match(/^error /gm)).toHaveLength(2);
    // The run ended: nothing to resume.
    expect(ran.stderr).not.toMatch(/resume|internal error/);
    expect(ran.stderr).not.toMatch(STACK_LINE);
    expect(statSync(FULL).isCharacterDevice()).toBe(true);
  });

  it('--json stays one envelope: the run\'s report as its result, the unwritten file as its error', { timeout: 30_000 }, async () => {
    const ran = await sop(['run', 'answer.yaml', '--input', 'idea=x', '--junit', FULL, '--json'], { cwd });
    const envelope = JSON.parse(ran.stdout) as { ok: boolean; exitCode: number; result: { status: string; exitCode: number }; error: { code: string; message: string } };
    expect([ran.code, envelope.ok, envelope.exitCode, envelope.result.status, envelope.result.exitCode]).toEqual([14, false, 14, 'completed', 0]);
    expect(envelope.error).toMatchObject({ code: 'STORAGE_NO_SPACE', message: `--junit: ${NO_SPACE}` });
  });

  it('--json with both --junit and --events unwritable: its error names each flag, file and cause (its diagnostics), exit 14', { timeout: 30_000 }, async () => {
    const ran = await sop(['run', 'answer.yaml', '--input', 'idea=x', '--junit', FULL, '--events', FULL, '--json'], { cwd });
    const envelope = JSON.parse(ran.stdout) as { exitCode: number; result: { status: string }; error: { code: string; message: string; diagnostics: { message: string }[] } };
    expect([ran.code, envelope.exitCode, envelope.result.status, envelope.error.code]).toEqual([14, 14, 'completed', 'STORAGE_NO_SPACE']);
    expect(envelope.error.message).toBe(`--junit: ${NO_SPACE} (and 1 more)`);
    expect(envelope.error.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([`--junit: ${NO_SPACE}`, expect.stringMatching(new RegExp(`^--events: ${NO_SPACE.replace(/[()]/g, '\\$&')}`))]);
  });

  it('sop resume: the same summary, then the error', { timeout: 60_000 }, async () => {
    const first = await sop(['run', 'p/sop.yaml', 'tidal power', '--n-round', '1', '--json'], { cwd });
    const { runId } = (JSON.parse(first.stdout) as { result: { runId: string } }).result;
    expect(first.code, first.stderr).not.toBe(0);
    const resumed = await sop(['resume', runId, '--n-round', '2', '--junit', FULL], { cwd });
    expect(resumed.code, resumed.stderr).toBe(14);
    expect(resumed.stderr).toMatch(/^status: completed after 2 rounds$/m);
    expect(resumed.stderr).toMatch(/^run record: /m);
    expect(resumed.stderr).toMatch(new RegExp(`^error STORAGE_NO_SPACE: --junit: ${NO_SPACE.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(resumed.stderr).not.toMatch(STACK_LINE);
  });

  it('sop test and sop eval: their results, then the error naming the flag; --json keeps the results', { timeout: 60_000 }, async () => {
    const tested = await sop(['test', 'p/sop.yaml', '--junit', FULL], { cwd });
    expect(tested.code, tested.stderr).toBe(14);
    expect(tested.stdout).toMatch(/^2 passed, 0 failed/m);
    expect(tested.stderr).toContain(`error STORAGE_NO_SPACE: --junit: ${NO_SPACE}`);
    const json = await sop(['test', 'p/sop.yaml', '--junit', FULL, '--json'], { cwd });
    const envelope = JSON.parse(json.stdout) as { exitCode: number; result: { summary: unknown }; error: { message: string } };
    expect([envelope.exitCode, envelope.result.summary !== undefined, envelope.error.message]).toEqual([14, true, `--junit: ${NO_SPACE}`]);

    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n    inputs: { idea: tidal }\n');
    const evaluated = await sop(['eval', 'p/sop.yaml', '--dataset', 'cases.yaml', '--out', FULL, '--junit', FULL], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(14);
    expect(evaluated.stdout).toMatch(/^offline +1\/1 +100\.0 %/m);
    expect(evaluated.stderr).toMatch(/^report: \.sop\/evals\/.*report\.html$/m);
    // Not named as written.
    expect(evaluated.stderr).not.toMatch(/^(junit|results): /m);
    expect(evaluated.stderr).toContain(`error STORAGE_NO_SPACE: --out: ${NO_SPACE}`);
    expect(evaluated.stderr).toContain(`error STORAGE_NO_SPACE: --junit: ${NO_SPACE}`);
    const evaluatedJson = await sop(['eval', 'p/sop.yaml', '--dataset', 'cases.yaml', '--out', FULL, '--junit', FULL, '--json'], { cwd });
    const evalError = (JSON.parse(evaluatedJson.stdout) as { error: { diagnostics: { message: string }[] } }).error;
    expect([evaluatedJson.code, evalError.diagnostics.map((diagnostic) => diagnostic.message)]).toEqual([14, [`--out: ${NO_SPACE}`, `--junit: ${NO_SPACE}`]]);

    // A failed case: the note that the exit code is 0 without --threshold is not said beside exit 14.
    writeFileSync(path.join(cwd, 'failing.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: typo\n    inputs: { idae: tidal }\n');
    const failing = await sop(['eval', 'p/sop.yaml', '--dataset', 'failing.yaml', '--out', FULL], { cwd });
    expect(failing.code, failing.stderr).toBe(14);
    expect(failing.stdout).toMatch(/^offline +0\/1 +0\.0 %/m);
    expect(failing.stderr).not.toContain('the exit code is 0');
    expect(failing.stderr).toContain(`error STORAGE_NO_SPACE: --out: ${NO_SPACE}`);
  });

  it('a run refused before it started: its refusal stays the error, the JUnit file that could not be written is said too, and /dev/full stays a device', { timeout: 30_000 }, async () => {
    const refused = await sop(['run', 'answer.yaml', '--junit', FULL, '--events', FULL], { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`error STORAGE_NO_SPACE: --junit: ${NO_SPACE}`);
    expect(refused.stderr).toMatch(/^error INPUT_MISSING: /m);
    expect(refused.stderr).not.toMatch(/internal error/);
    // An unused --events file is removed on a refusal: only a plain file (it removed the device, run as root).
    expect(statSync(FULL).isCharacterDevice()).toBe(true);
  });

  it('a run refused before it starts for both --junit and --events (a folder in each place) names each flag, in text and in --json', { timeout: 30_000 }, async () => {
    mkdirSync(path.join(cwd, 'junit-folder'), { recursive: true });
    mkdirSync(path.join(cwd, 'events-folder'), { recursive: true });
    const args = ['run', 'answer.yaml', '--input', 'idea=x', '--junit', 'junit-folder', '--events', 'events-folder'];
    const refused = await sop(args, { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('error FILE_UNWRITABLE: --junit: cannot write junit-folder: it is a folder');
    expect(refused.stderr).toContain('error FILE_UNWRITABLE: --events: cannot write events-folder: it is a folder');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    const json = await sop([...args, '--json'], { cwd });
    const error = (JSON.parse(json.stdout) as { error: { code: string; diagnostics: { message: string }[] } }).error;
    expect([json.code, error.code, error.diagnostics.map((diagnostic) => diagnostic.message)]).toEqual([2, 'FILE_UNWRITABLE', ['--junit: cannot write junit-folder: it is a folder', '--events: cannot write events-folder: it is a folder']]);
  });
});
