import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * A project (its SOP, workspace and `.sop/runs`) moved or copied to another folder after its run was
 * killed or stopped: `sop resume` in the new place finds the SOP and workspace at the same places
 * within the project, says which recorded paths it followed, and finishes the run there. Uses
 * test/fixtures/resume-slow (alice's model call, bob's command, which writes `started` and waits for
 * the file `go`, carol's prompt file) on the offline model.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'resume-slow');
const ENV = { NODE_ENV: 'production', FORCE_COLOR: '0', VITEST: undefined, VITEST_WORKER_ID: undefined };

/** A copy of the fixture at `<parent>/project`, with a file input (`notes`) taken from `data/notes.txt`. */
function project(parent: string): string {
  const dir = path.join(parent, 'project');
  cpSync(FIXTURE, dir, { recursive: true });
  const file = path.join(dir, 'slow.yaml');
  writeFileSync(file, readFileSync(file, 'utf8')
    .replace('start: [{ type: Go, content: "{{ inputs.idea }}" }]', 'inputs:\n  idea: {}\n  notes: { type: file }\nstart: [{ type: Go, content: "{{ inputs.idea }} ({{ inputs.notes }})" }]'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'notes.txt'), 'notes for the run\n');
  return dir;
}

const RUN_ARGS = ['run', 'slow.yaml', '--input', 'idea=a note', '--input', 'notes=@data/notes.txt', '--model', 'offline', '--ci'];

/** The project's run killed (SIGKILL) while bob's command runs, after round 1 is in its journal. */
async function killedRun(dir: string): Promise<string> {
  const child = spawn(process.execPath, [binPath, ...RUN_ARGS], { cwd: dir, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout: '', stderr })));
  const started = path.join(dir, 'workspace', 'slow', 'started');
  const ready = (): boolean => existsSync(started) && journalOf(dir).includes('"type":"round-commit","round":1');
  for (const waitUntil = Date.now() + 30_000; !ready(); ) {
    if (Date.now() > waitUntil) {
      child.kill('SIGKILL');
      throw new Error(`bob's command never started; stderr: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  await done;
  return onlyRun(dir);
}

function onlyRun(dir: string): string {
  return readdirSync(path.join(dir, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
}

function journalOf(dir: string): string {
  const runs = path.join(dir, '.sop', 'runs');
  if (!existsSync(runs)) return '';
  const id = readdirSync(runs).find((name) => !name.startsWith('.'));
  const file = id === undefined ? undefined : path.join(runs, id, 'journal.jsonl');
  return file !== undefined && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The workspace's files a run wrote (not the command's `started` and `go`), with their text. */
function artifacts(dir: string): Record<string, string> {
  const workspace = path.join(dir, 'workspace', 'slow');
  return Object.fromEntries(readdirSync(workspace).filter((name) => !['started', 'go'].includes(name)).sort().map((name) => [name, readFileSync(path.join(workspace, name), 'utf8')]));
}

/** Lets bob's command (the killed run's, and the resumed round's) finish. */
function letCommandFinish(dir: string): void {
  writeFileSync(path.join(dir, 'workspace', 'slow', 'go'), '');
}

describe('sop resume of a project moved or copied to another folder', () => {
  it('killed mid-run, then copied (cp -r) and moved (rename): each resumes in its new place to the artifacts of an uninterrupted run', async () => {
    const reference = project(tempDir('sop-moved-ref-'));
    mkdirSync(path.join(reference, 'workspace', 'slow'), { recursive: true });
    letCommandFinish(reference);
    const whole = await sop(RUN_ARGS, { cwd: reference });
    expect(whole.code, whole.stderr).toBe(0);
    const expected = artifacts(reference);
    expect(Object.keys(expected)).toEqual(['a.md', 'c.md', 'notes.txt']);

    const parent = tempDir('sop-moved-');
    const original = project(parent);
    const runId = await killedRun(original);
    expect(existsSync(path.join(original, 'workspace', 'slow', 'c.md'))).toBe(false);

    // Copied with its `.sop/`: the copy's run goes on in the copy; the original is left as it was.
    const copy = path.join(tempDir('sop-moved-copy-'), 'copy');
    cpSync(original, copy, { recursive: true });
    letCommandFinish(copy);
    // The killed run's command ends too (and a resume that went back to the original's workspace would not hang there).
    letCommandFinish(original);
    const inCopy = await sop(['resume', runId, '--ci'], { cwd: copy });
    expect(inCopy.code, inCopy.stderr).toBe(0);
    expect(inCopy.stderr).not.toMatch(STACK_LINE);
    const said = `warning: run ${runId} was recorded in another folder: following its SOP ${path.join(original, 'slow.yaml')} -> ${path.join(copy, 'slow.yaml')} and its workspace ${path.join(original, 'workspace', 'slow')} -> ${path.join(copy, 'workspace', 'slow')} (the same places in the project its run folder is in now)\n`;
    expect(inCopy.stderr.split(said).length - 1, inCopy.stderr).toBe(1);
    expect(artifacts(copy)).toEqual(expected);
    expect(existsSync(path.join(original, 'workspace', 'slow', 'c.md'))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(copy, '.sop', 'runs', runId, 'report.json'), 'utf8')) as { status: string; workspace: string };
    expect(report).toMatchObject({ status: 'completed', workspace: path.join(copy, 'workspace', 'slow') });

    // Moved: nothing is left at the old place, and nothing is made there again.
    const moved = path.join(parent, 'moved');
    renameSync(original, moved);
    const inMoved = await sop(['resume', runId, '--ci'], { cwd: moved });
    expect(inMoved.code, inMoved.stderr).toBe(0);
    expect(inMoved.stderr).toContain(`following its SOP ${path.join(original, 'slow.yaml')} -> ${path.join(moved, 'slow.yaml')} and its workspace ${path.join(original, 'workspace', 'slow')} -> ${path.join(moved, 'workspace', 'slow')}`);
    expect(artifacts(moved)).toEqual(expected);
    expect(existsSync(original)).toBe(false);

    // Its record now names the new place: the next resume has nothing to follow (and nothing to resume).
    const again = await sop(['resume', runId, '--ci'], { cwd: moved });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`run ${runId} already completed`);
    expect(again.stderr).not.toContain('recorded in another folder');
  });

  it('moved without its SOP or workspace: one error naming both places and how to put the file back', async () => {
    const parent = tempDir('sop-moved-gone-');
    const original = project(parent);
    mkdirSync(path.join(original, 'workspace', 'slow'), { recursive: true });
    letCommandFinish(original);
    const stopped = await sop([...RUN_ARGS, '--n-round', '1'], { cwd: original });
    expect(stopped.code, stopped.stderr).toBe(5);
    const runId = onlyRun(original);
    const moved = path.join(parent, 'moved');
    renameSync(original, moved);
    rmSync(path.join(moved, 'slow.yaml'));

    const noSop = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: moved });
    expect(noSop.code).toBe(2);
    expect(noSop.stderr).not.toMatch(STACK_LINE);
    expect(noSop.stderr).toBe(
      `error FILE_NOT_FOUND: the SOP of run ${runId} is gone: not at ${path.join(original, 'slow.yaml')}, where the run recorded it, nor at slow.yaml, the same place in the project its run folder is in now\n` +
        `  hint: put it back at slow.yaml (\`sop runs --sop ${runId} > slow.yaml\` writes the SOP as run) and resume again, or resume with \`sop resume ${runId} --sop PATH\` where it is now\n`,
    );
    // The hint's way back.
    const asRun = await sop(['runs', '--sop', runId], { cwd: moved });
    expect(asRun.code, asRun.stderr).toBe(0);
    writeFileSync(path.join(moved, 'slow.yaml'), asRun.stdout);

    renameSync(path.join(moved, 'workspace'), path.join(moved, 'elsewhere'));
    const noWorkspace = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: moved });
    expect(noWorkspace.code).toBe(2);
    expect(noWorkspace.stderr).toBe(
      `error FILE_NOT_FOUND: the workspace of run ${runId} is gone: not at ${path.join(original, 'workspace', 'slow')}, where the run recorded it, nor at ${path.join('workspace', 'slow')}, the same place in the project its run folder is in now\n` +
        `  hint: put the run's workspace folder (the files its rounds wrote) at ${path.join('workspace', 'slow')} and resume again, or resume with \`sop resume ${runId} --workspace PATH\` where it is now\n`,
    );
    expect(existsSync(original)).toBe(false);

    renameSync(path.join(moved, 'elsewhere'), path.join(moved, 'workspace'));
    const resumed = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: moved });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(path.join(moved, 'workspace', 'slow', 'c.md'), 'utf8')).not.toBe('');
  });

  it('a run recorded by an older version (no `relative` in its run-info) resumes by its absolute paths: in place, and named when gone', async () => {
    const parent = tempDir('sop-moved-old-');
    const original = project(parent);
    mkdirSync(path.join(original, 'workspace', 'slow'), { recursive: true });
    letCommandFinish(original);
    const stopped = await sop([...RUN_ARGS, '--n-round', '1'], { cwd: original });
    expect(stopped.code, stopped.stderr).toBe(5);
    const runId = onlyRun(original);
    const journal = path.join(original, '.sop', 'runs', runId, 'journal.jsonl');
    const [first, ...rest] = readFileSync(journal, 'utf8').split('\n');
    const info = JSON.parse(first as string) as Record<string, unknown>;
    expect(info['relative']).toEqual({ project: path.join('..', '..', '..'), sop: 'slow.yaml', workspace: path.join('workspace', 'slow') });
    delete info['relative'];
    delete info['fileInputs'];
    writeFileSync(journal, [JSON.stringify(info), ...rest].join('\n'));

    const copy = path.join(parent, 'copy');
    cpSync(original, copy, { recursive: true });
    rmSync(path.join(original, 'slow.yaml'));
    const gone = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: copy });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe(`error FILE_NOT_FOUND: the SOP of run ${runId} is gone: ${path.join(original, 'slow.yaml')}\n  hint: restore it (\`sop runs --sop ${runId}\` prints the SOP as run), or resume with \`sop resume ${runId} --sop PATH\` where it is now\n`);

    // In place it resumes as it always did.
    writeFileSync(path.join(original, 'slow.yaml'), readFileSync(path.join(copy, 'slow.yaml')));
    const inPlace = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: original });
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(inPlace.stderr).not.toContain('recorded in another folder');
    expect(existsSync(path.join(original, 'workspace', 'slow', 'c.md'))).toBe(true);
  });
});

describe('a project moved away from its runs folder (--runs-dir outside it): sop resume --sop FILE --workspace DIR', () => {
  it('refused naming why and the command with both flags; each flag checked (no such file, another SOP, no workspace, a folder without the run\'s files); given right, the run ends in the moved project', async () => {
    const parent = tempDir('sop-moved-runs-dir-');
    const original = project(parent);
    mkdirSync(path.join(original, 'workspace', 'slow'), { recursive: true });
    letCommandFinish(original);
    const runs = path.join(tempDir('sop-moved-shared-runs-'), 'runs');
    const stopped = await sop([...RUN_ARGS, '--n-round', '1', '--runs-dir', runs], { cwd: original });
    expect(stopped.code, stopped.stderr).toBe(5);
    const runId = readdirSync(runs).find((name) => !name.startsWith('.')) as string;
    const runDir = path.join(runs, runId);
    // The runs folder does not move with the project: the project is recorded by its absolute path.
    const info = JSON.parse(readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    expect(info['relative']).toEqual({ project: original, sop: 'slow.yaml', workspace: path.join('workspace', 'slow') });

    const moved = path.join(parent, 'moved');
    renameSync(original, moved);
    const resume = (...flags: string[]): Promise<CliResult> => sop(['resume', runDir, '--n-round', '6', '--ci', ...flags], { cwd: moved });
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8');
    const gone = await resume();
    expect(gone.code).toBe(2);
    expect(gone.stderr).not.toMatch(STACK_LINE);
    expect(gone.stderr).toBe(
      `error FILE_NOT_FOUND: the SOP of run ${runId} is gone: ${path.join(original, 'slow.yaml')} (its run folder is outside its project, ${original}, so the run knows the project's files by their absolute paths only: a moved project is not followed)\n` +
        `  hint: give their places now: in the project's folder, \`sop resume ${runDir} --sop slow.yaml --workspace ${path.join('workspace', 'slow')}\` (where they were in the project when the run started); or restore the SOP: \`sop runs --sop ${runDir}\` prints it as run\n`,
    );

    const noFile = await resume('--sop', 'nothere.yaml');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(`error FILE_NOT_FOUND: --sop nothere.yaml: no such file\n  hint: give the path of run ${runId}'s SOP file where it is now (\`sop runs --sop ${runDir} > FILE\` writes the SOP as run)\n`);

    writeFileSync(path.join(moved, 'other.yaml'), readFileSync(path.join(moved, 'slow.yaml'), 'utf8').replace('version: 0.1.0', 'version: 0.1.1'));
    const other = await resume('--sop', 'other.yaml', '--workspace', path.join('workspace', 'slow'));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(new RegExp(`^error RESUME_SOP_CHANGED: --sop other\\.yaml is not the SOP run ${runId} started with \\(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\\)$`, 'm'));
    expect(other.stderr).toContain(`  hint: give the SOP file the run ran with (\`sop runs --sop ${runDir}\` prints it as run), or pass --allow-changed-sop to resume with this one\n`);

    const noWorkspace = await resume('--sop', 'slow.yaml');
    expect(noWorkspace.code).toBe(2);
    expect(noWorkspace.stderr).toContain(
      `error FILE_NOT_FOUND: the workspace of run ${runId} is gone: ${path.join(original, 'workspace', 'slow')}; its SOP is not at its recorded place either, so the project moved and the workspace is not made afresh there (its run folder is outside its project`,
    );
    const missing = await resume('--sop', 'slow.yaml', '--workspace', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error FILE_NOT_FOUND: the workspace given for run ${runId} does not exist: nope\n` +
        `  hint: give the folder run ${runId}'s rounds wrote to, where it is now (the run recorded ${path.join(original, 'workspace', 'slow')})\n`,
    );
    const wrong = await resume('--sop', 'slow.yaml', '--workspace', 'prompts');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`error USAGE: the workspace given for run ${runId}, prompts, holds none of the files the run wrote (a.md`);
    // No refusal made anything at the old place, nor wrote to the run's journal.
    expect(existsSync(original)).toBe(false);
    expect(readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8')).toBe(journal);

    const resumed = await resume('--sop', 'slow.yaml', '--workspace', path.join('workspace', 'slow'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `warning: run ${runId}: taking its SOP ${path.join(original, 'slow.yaml')} -> ${path.join(moved, 'slow.yaml')} and its workspace ${path.join(original, 'workspace', 'slow')} -> ${path.join(moved, 'workspace', 'slow')} as given, not where the run recorded them\n`,
    );
    expect(readFileSync(path.join(moved, 'workspace', 'slow', 'c.md'), 'utf8')).not.toBe('');
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as { status: string; workspace: string };
    expect(report).toMatchObject({ status: 'completed', workspace: path.join(moved, 'workspace', 'slow') });
    expect(existsSync(original)).toBe(false);
  });
});

describe('a project reached through a symlinked parent, its SOP given by that path', () => {
  // `sop run "$PWD/slow.yaml"` in a folder reached through a link: the working folder is the real path, the SOP's the linked one.
  // The SOP was recorded as outside the project (by its absolute path): once the project moved, the resume was refused.
  it('is recorded within the project, so a resume after a move follows it', async () => {
    const parent = tempDir('sop-moved-linked-');
    const real = path.join(parent, "real #1 ü");
    mkdirSync(real);
    const original = project(real);
    mkdirSync(path.join(original, 'workspace', 'slow'), { recursive: true });
    letCommandFinish(original);
    const link = path.join(parent, 'link to');
    symlinkSync(real, link);
    const viaLink = path.join(link, 'project');
    const args = RUN_ARGS.map((arg) => (arg === 'slow.yaml' ? path.join(viaLink, 'slow.yaml') : arg));
    const stopped = await sop([...args, '--n-round', '1'], { cwd: viaLink });
    expect(stopped.code, stopped.stderr).toBe(5);
    const runId = onlyRun(original);

    const moved = path.join(real, 'moved');
    renameSync(original, moved);
    const resumed = await sop(['resume', runId, '--n-round', '6', '--ci'], { cwd: moved });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`following its SOP ${path.join(viaLink, 'slow.yaml')} -> ${path.join(moved, 'slow.yaml')} and its workspace`);
    expect(readFileSync(path.join(moved, 'workspace', 'slow', 'c.md'), 'utf8')).not.toBe('');
  });
});
