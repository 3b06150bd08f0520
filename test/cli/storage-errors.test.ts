import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fill, mountTmpfs, unmountAll } from '../support/small-tmpfs.js';
import { STACK_LINE, binPath, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * Storage failures are the user's to fix, not bugs: a full disk, a read-only file system and a
 * folder without permission each give exit 14, one error line naming the path and the cause, and
 * no stack; a run stopped by a full disk resumes once there is space again. A real small tmpfs
 * (and a read-only one) is mounted for this, which needs root, as CI has; elsewhere the tests that
 * need a mount are skipped with the reason printed.
 */

const SOFTWARE_COMPANY = path.join(repoRoot, 'sops', 'software-company.yaml');

/** One action whose only way to write is the `fs.write` tool (the offline model calls it). */
const TOOL_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: tool-writer, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Notes: { description: notes }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write_notes
        prompt: "Write notes about {{ message.content }} with fs.write."
        output: { type: Notes, format: text }
        tools: [fs.write]
stop_when: { type: Notes }
`;

afterAll(() => {
  unmountAll();
  removeTempDirs();
});

/** A small tmpfs (`options`: its size, `ro`) on a fresh folder; the reason it cannot, when it cannot. */
function freshTmpfs(options: string): { dir: string } | { skip: string } {
  return mountTmpfs(tempDir('sop-storage-mnt-'), options);
}

function expectStorageError(result: CliResult, code: string, where: string, cause: string, flag?: string): void {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain('internal error');
  expect(result.code, result.stderr).toBe(14);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
  expect(errors).toHaveLength(1);
  // A file a flag named is said with the flag first (`--junit: cannot write ...`), as every file flag's error is.
  expect(errors[0]).toMatch(new RegExp(`^error ${code}: ${flag === undefined ? '' : `${flag}: `}cannot write ${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*: ${cause}`));
  expect(result.stderr).toContain('hint: ');
}

function skipWith(context: { skip: () => void }, reason: string): void {
  console.warn(`skipped: ${reason}`);
  context.skip();
}

describe('storage errors (exit 14)', () => {
  it('a full disk under the workspace names the file, exits 14, and the run resumes once space is freed', async (context) => {
    const mount = freshTmpfs('size=64k');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    const filler = fill(mount.dir);
    const workspace = path.join(mount.dir, 'ws');
    const full = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--workspace', workspace], { cwd });
    expectStorageError(full, 'STORAGE_NO_SPACE', `${workspace}/`, 'no space left on the device \\(ENOSPC\\)');
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
    expect(full.stderr).toContain(`the run keeps its last checkpoint: \`sop resume ${runId}\` continues it once this is fixed`);
    rmSync(filler);
    rmSync(path.join(mount.dir, 'ws'), { recursive: true, force: true });
    mkdirSync(workspace);
    const resumed = await sop(['resume', runId as string], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(path.join(workspace, 'docs', 'prd.md'))).toBe(true);
  });

  it('a full disk met by the fs.write tool ends the run the same way (the model cannot fix it)', async (context) => {
    const mount = freshTmpfs('size=64k');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    writeFileSync(path.join(cwd, 'tool.yaml'), TOOL_SOP);
    fill(mount.dir);
    const workspace = path.join(mount.dir, 'tw');
    const result = await sop(['run', 'tool.yaml', 'notes', '--workspace', workspace], { cwd });
    expectStorageError(result, 'STORAGE_NO_SPACE', `${workspace}/notes/`, 'no space left on the device \\(ENOSPC\\)');
  });

  it('a full disk under the run records names the record file and exits 14', async (context) => {
    const mount = freshTmpfs('size=64k');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    fill(mount.dir);
    const runs = path.join(mount.dir, 'runs');
    const result = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--runs-dir', runs], { cwd });
    expectStorageError(result, 'STORAGE_NO_SPACE', `${runs}/`, 'no space left on the device \\(ENOSPC\\)');
  });

  it('a read-only file system is STORAGE_READ_ONLY naming the folder, for the workspace and for the run records', async (context) => {
    const mount = freshTmpfs('size=64k,ro');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    const workspace = path.join(mount.dir, 'ws');
    const result = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--workspace', workspace], { cwd });
    expectStorageError(result, 'STORAGE_READ_ONLY', workspace, 'the file system is read-only \\(EROFS\\)');
    const runs = path.join(mount.dir, 'runs');
    const records = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--runs-dir', runs], { cwd });
    expectStorageError(records, 'STORAGE_READ_ONLY', runs, 'the file system is read-only \\(EROFS\\)');
    // Refused before a run started: nothing to resume, so the hint says only what to fix.
    for (const refused of [result, records]) {
      expect(refused.stderr).toContain('hint: choose a writable folder (--workspace, --runs-dir) or remount it read-write\n');
      expect(refused.stderr).not.toContain('resume');
    }
  });

  it('a read-only place given by a flag (--junit, --events, --evals-dir, --lock) or by TMPDIR (sop test) is STORAGE_READ_ONLY whose hint names it, not sop run\'s --workspace and --runs-dir', async (context) => {
    const mount = freshTmpfs('size=64k,ro');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    const example = path.join(repoRoot, 'examples', 'ci', 'release-notes');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n');
    const ro = (name: string) => path.join(mount.dir, name);
    const cases: Array<[string, string[], string]> = [
      ['--junit', ['run', SOFTWARE_COMPANY, 'a todo app', '--ci', '--junit', ro('run.xml')], ro('run.xml')],
      ['--events', ['run', SOFTWARE_COMPANY, 'a todo app', '--ci', '--events', ro('events.ndjson')], ro('events.ndjson')],
      ['--junit', ['test', example, '--junit', ro('test.xml')], ro('test.xml')],
      ['--evals-dir', ['eval', path.join(example, 'sop.yaml'), '--dataset', 'cases.yaml', '--model', 'offline', '--evals-dir', ro('evals')], ro('evals')],
      ['--lock', ['lock', path.join(example, 'sop.yaml'), '--lock', ro('sop.lock')], ro('sop.lock')],
    ];
    for (const [flag, args, where] of cases) {
      const result = await sop(args, { cwd, env: { HOME: cwd } });
      expectStorageError(result, 'STORAGE_READ_ONLY', where, 'the file system is read-only \\(EROFS\\)', flag);
      expect(result.stderr, args.join(' ')).toContain(`hint: give ${flag} a path on a writable file system, or remount it read-write\n`);
      expect(result.stderr, args.join(' ')).not.toMatch(/--workspace|--runs-dir/);
    }
    // sop test's throwaway workspaces: no flag chose their folder, TMPDIR did.
    const tests = await sop(['test', example], { cwd, env: { HOME: cwd, TMPDIR: mount.dir } });
    expectStorageError(tests, 'STORAGE_READ_ONLY', mount.dir, 'the file system is read-only \\(EROFS\\)');
    expect(tests.stderr).toContain('hint: set TMPDIR to a folder on a writable file system, or remount it read-write\n');
  });

  it('sop resume of a run whose folder became read-only names the run to resume once it is writable again', async (context) => {
    const mount = freshTmpfs('size=8m');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    const runs = path.join(mount.dir, 'runs');
    const first = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--runs-dir', runs, '--n-round', '1'], { cwd });
    expect(first.code, first.stderr).toBe(5);
    const [runId] = readdirSync(runs);
    execFileSync('mount', ['-o', 'remount,ro', mount.dir]);
    const resumed = await sop(['resume', runId as string, '--runs-dir', runs], { cwd });
    expectStorageError(resumed, 'STORAGE_READ_ONLY', path.join(runs, runId as string), 'the file system is read-only \\(EROFS\\)');
    // Its runs folder is not .sop/runs here: the hint names the folder (`sop resume ID` would not find it).
    expect(resumed.stderr).toContain(`the run keeps its last checkpoint: \`sop resume ${path.join(runs, runId as string)}\` continues it once this is fixed`);
  });

  it('a file size limit (ulimit -f) met by the run record is STORAGE_FILE_TOO_LARGE (was: internal error, exit 1) naming the resume command (was: none when the journal write failed), and the run resumes without it', async () => {
    const cwd = tempDir('sop-storage-');
    // 60 blocks of 512 bytes (POSIX sh), 30 KB: the journal outgrows it in round 4, after 3 rounds committed.
    const limited = await sop(['run', SOFTWARE_COMPANY, 'a todo app'], { cwd, env: { HOME: cwd }, launch: ['sh', '-c', 'ulimit -f 60 && exec "$0" "$@"', process.execPath, binPath] });
    const [runId] = readdirSync(path.join(cwd, '.sop', 'runs'));
    const journal = path.join(cwd, '.sop', 'runs', runId as string, 'journal.jsonl');
    expectStorageError(limited, 'STORAGE_FILE_TOO_LARGE', journal, 'the file reached this process\'s file size limit \\(EFBIG\\)');
    expect(limited.stderr).toContain('hint: raise the file size limit sop runs under (`ulimit -f`)');
    expect(limited.stderr).toContain(`\`sop resume ${runId}\` continues it once this is fixed`);
    const resumed = await sop(['resume', runId as string], { cwd, env: { HOME: cwd } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'workspace', 'software-company', 'docs', 'prd.md'))).toBe(true);
  });

  it('a workspace folder the user may not write to is STORAGE_PERMISSION (as root: without the capability that overrides permissions)', async (context) => {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).error) return skipWith(context, 'root without setpriv (util-linux): permissions cannot be made to apply');
    const cwd = tempDir('sop-storage-');
    const locked = path.join(cwd, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const result = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--workspace', path.join(locked, 'ws')], { cwd, env: { HOME: cwd }, withoutDacOverride: asRoot });
    expectStorageError(result, 'STORAGE_PERMISSION', path.join(locked, 'ws'), 'permission denied \\(EACCES\\)');
  });

  it('sop eval without --evals-dir whose default .sop/evals cannot be made names the folder, not a --evals-dir never given (as root: without the capability that overrides permissions)', async (context) => {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).error) return skipWith(context, 'root without setpriv (util-linux): permissions cannot be made to apply');
    const cwd = tempDir('sop-storage-');
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: one\n');
    mkdirSync(path.join(cwd, '.sop'), { mode: 0o555 });
    chmodSync(path.join(cwd, '.sop'), 0o555);
    const sopFile = path.join(repoRoot, 'examples', 'ci', 'release-notes', 'sop.yaml');
    const result = await sop(['eval', sopFile, '--dataset', 'cases.yaml', '--model', 'offline'], { cwd, env: { HOME: cwd }, withoutDacOverride: asRoot });
    expectStorageError(result, 'STORAGE_PERMISSION', path.join(cwd, '.sop', 'evals'), 'permission denied \\(EACCES\\)');
    expect(result.stderr).not.toContain('--evals-dir');
  });

  it('an --inc run does not replace a file the user made read-only: STORAGE_PERMISSION naming it, the file as it was (as root: without the capability that overrides permissions)', async (context) => {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).error) return skipWith(context, 'root without setpriv (util-linux): permissions cannot be made to apply');
    const cwd = tempDir('sop-storage-');
    const first = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--workspace', 'ws'], { cwd, env: { HOME: cwd } });
    expect(first.code, first.stderr).toBe(0);
    const prd = path.join(cwd, 'ws', 'docs', 'prd.md');
    writeFileSync(prd, '# my own PRD\n');
    chmodSync(prd, 0o444);
    const result = await sop(['run', SOFTWARE_COMPANY, '--inc', '--workspace', 'ws', 'add tags'], { cwd, env: { HOME: cwd }, withoutDacOverride: asRoot });
    expectStorageError(result, 'STORAGE_PERMISSION', prd, 'permission denied \\(EACCES\\)');
    expect(result.stderr).toContain('a read-only file is not replaced: `chmod u+w` it to let sop write it');
    expect(readFileSync(prd, 'utf8')).toBe('# my own PRD\n');
  });

  it('sop init on a full disk is STORAGE_NO_SPACE and leaves no half-written sop.yaml behind', async (context) => {
    const mount = freshTmpfs('size=64k');
    if ('skip' in mount) return skipWith(context, mount.skip);
    mkdirSync(path.join(mount.dir, 'blog'));
    fill(mount.dir);
    const result = await sop(['init', 'blog'], { cwd: mount.dir });
    expectStorageError(result, 'STORAGE_NO_SPACE', `${mount.dir}/blog/`, 'no space left on the device \\(ENOSPC\\)');
    expect(readdirSync(path.join(mount.dir, 'blog'))).toEqual([]);
  });

  it('sop worker: a --data-dir it cannot make (read-only, or the temp dir it defaults to) is STORAGE_READ_ONLY whose hint names --data-dir, not sop run\'s flags', async (context) => {
    const mount = freshTmpfs('size=64k,ro');
    if ('skip' in mount) return skipWith(context, mount.skip);
    const cwd = tempDir('sop-storage-');
    const dataDir = path.join(mount.dir, 'data');
    // It fails before it connects: no Redis is needed.
    const given = await sop(['worker', '--redis', 'redis://127.0.0.1:1', '--data-dir', dataDir], { cwd });
    expectStorageError(given, 'STORAGE_READ_ONLY', dataDir, 'the file system is read-only \\(EROFS\\)');
    expect(given.stderr).toContain('hint: restart the worker with a writable --data-dir, or remount its file system read-write\n');
    const temporary = await sop(['worker', '--redis', 'redis://127.0.0.1:1'], { cwd, env: { TMPDIR: mount.dir } });
    expectStorageError(temporary, 'STORAGE_READ_ONLY', mount.dir, 'the file system is read-only \\(EROFS\\)');
    expect(temporary.stderr).toContain('hint: restart the worker with a writable --data-dir, or remount its file system read-write\n');
    for (const result of [given, temporary]) expect(result.stderr).not.toMatch(/--workspace|--runs-dir/);
  });

  it('sop worker checks --outputs-dir when it starts, before it connects (was: when a run\'s first large file was stored, after its model calls)', async () => {
    const cwd = tempDir('sop-storage-');
    writeFileSync(path.join(cwd, 'plain'), 'x');
    const outputs = path.join(cwd, 'plain', 'outputs');
    const result = await sop(['worker', '--redis', 'redis://127.0.0.1:1', '--data-dir', path.join(cwd, 'data'), '--outputs-dir', outputs], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error USAGE: cannot create the folder ${outputs}: ${path.join(cwd, 'plain')} is a file, not a folder\n  hint: choose a path whose every part is a folder (or move that file away)\n`);
    const procfs = await sop(['worker', '--redis', 'redis://127.0.0.1:1', '--data-dir', path.join(cwd, 'data'), '--outputs-dir', '/proc/sop-outputs'], { cwd });
    expect(procfs.code).toBe(14);
    expect(procfs.stderr).toMatch(/error STORAGE_PERMISSION: cannot create \/proc\/sop-outputs: .*\n  hint: check the owner and mode of the worker's --outputs-dir/);
  });

  it('a runs folder with a file on its path is a usage error naming the file (was: internal error ENOTDIR)', async () => {
    const cwd = tempDir('sop-storage-');
    writeFileSync(path.join(cwd, 'plain'), 'x');
    const result = await sop(['run', SOFTWARE_COMPANY, 'a todo app', '--runs-dir', path.join(cwd, 'plain', 'runs')], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: cannot create the folder ${path.join(cwd, 'plain', 'runs')}: ${path.join(cwd, 'plain')} is a file, not a folder`);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a folder where the file system allows none (procfs) is a storage error at once (Node\'s recursive mkdir looped there forever)', async () => {
    const cwd = tempDir('sop-storage-');
    for (const args of [['init', '/proc/sop-new-sop'], ['run', SOFTWARE_COMPANY, 'a todo app', '--runs-dir', '/proc/sop-runs']]) {
      const result = await sop(args, { cwd });
      expect(result.stderr).toMatch(/error STORAGE_PERMISSION: cannot create \/proc\/sop-[a-z-]+: the file system does not allow new folders in \/proc/);
      expect(result.code).toBe(14);
    }
  });
});
