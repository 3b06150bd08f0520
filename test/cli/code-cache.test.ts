import { isAscii } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// bin/load-bundle.js keeps V8's code for the CLI bundle in $XDG_CACHE_HOME/sop between commands.
// What a user sees must not depend on it: the same output with a cache, without one, with one that
// cannot be written and with one that is damaged.

const SOP = path.join(repoRoot, 'sops', 'software-company.yaml');
const BUNDLE_HASH = readFileSync(path.join(repoRoot, 'dist', 'bundle', 'sop.cjs.sha256'), 'utf8').trim();

/** The code cache files of this build for these commands, whatever the install's own key in their names. */
function cacheNames(commands: string[]): RegExp[] {
  return commands.map((name) => new RegExp(`^${BUNDLE_HASH}-[0-9a-f]{8}-${name}-${process.version.replaceAll('.', '\\.')}-${process.arch}\\.v8$`));
}

/** The code cache files in `folder`. */
function codeCaches(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.v8'));
}

/** A copy of sop installed elsewhere (its own bin/, package.json and bundle; the repository's packages). */
function install(): string {
  const root = tempDir('sop-install-');
  for (const part of ['bin', 'package.json', path.join('dist', 'bundle')]) cpSync(path.join(repoRoot, part), path.join(root, part), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

/** What `npm run build` of other code leaves in an install: another bundle, its hash beside it. Returns the hash. */
function rebuild(root: string): string {
  const bundle = path.join(root, 'dist', 'bundle', 'sop.cjs');
  appendFileSync(bundle, '// another build\n');
  const hash = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 32);
  writeFileSync(`${bundle}.sha256`, `${hash}\n`);
  return hash;
}

async function validate(env: Record<string, string | undefined>) {
  const result = await sop(['validate', SOP], { env });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

describe.concurrent('the CLI bundle\'s code cache', () => {
  it('is written by the first command, used by the next, and changes nothing they print', async () => {
    const cacheHome = tempDir('sop-cache-');
    const first = await validate({ XDG_CACHE_HOME: cacheHome });
    // Beside it, the folder of validated SOPs (test/cli/validation-cache.test.ts).
    const files = readdirSync(path.join(cacheHome, 'sop')).filter((name) => name !== 'validated');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(cacheNames(['validate'])[0]!);
    const second = await validate({ XDG_CACHE_HOME: cacheHome });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    // A command that fails (exit code and message) is the same too.
    const invalid = await sop(['validate', path.join(cacheHome, 'missing.yaml')], { env: { XDG_CACHE_HOME: cacheHome } });
    const uncached = await sop(['validate', path.join(cacheHome, 'missing.yaml')], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(invalid).toEqual(uncached);
    expect(invalid.code).not.toBe(0);
  });

  it('each command keeps its own (the code it runs); help, a typo and anything else share one', async () => {
    const cacheHome = tempDir('sop-cache-commands-');
    const env = { XDG_CACHE_HOME: cacheHome };
    const reference = await sop(['schema'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    for (const args of [['validate', SOP], ['run', '--help'], ['schmea'], ['schema'], ['schema']]) await sop(args, { env });
    expect(await sop(['schema'], { env })).toEqual(reference);
    const files = readdirSync(path.join(cacheHome, 'sop')).filter((name) => name.endsWith('.v8')).sort();
    expect(files).toHaveLength(3);
    cacheNames(['other', 'schema', 'validate']).forEach((name, index) => expect(files[index]).toMatch(name));
  });

  it('sop run keeps the lean cache of a run with a kept verdict, not the one of a first run that validated', async () => {
    const cacheHome = tempDir('sop-cache-run-');
    const folder = path.join(cacheHome, 'sop');
    const copy = path.join(cacheHome, 'w1.yaml');
    cpSync(path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml'), copy);
    const run = async (file: string) => {
      const result = await sop(['run', file, 'a todo app', '--quiet', '--runs-dir', path.join(cacheHome, 'runs'), '--workspace', path.join(cacheHome, 'ws')], { env: { XDG_CACHE_HOME: cacheHome } });
      expect(result.code, result.stderr).toBe(0);
      return readdirSync(folder).filter((name) => name.endsWith('.v8'));
    };
    const [lean, aside] = cacheNames(['run', 'run\\+validators']);
    // The first run validates the new SOP: its cache, with the validators' code, is kept aside.
    const first = await run(copy);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(aside!);
    const { size: validatingSize, mtimeMs: asideWritten } = statSync(path.join(folder, first[0]!));
    // A second SOP never run before starts from it and keeps it as it is.
    const other = path.join(cacheHome, 'other.yaml');
    cpSync(copy, other);
    await run(other);
    expect(statSync(path.join(folder, first[0]!)).mtimeMs).toBe(asideWritten);
    expect(readdirSync(folder).filter((name) => name.endsWith('.v8'))).toEqual(first);
    // Its verdict kept, the next run drops it (all code V8 was given goes into a cache), and the one after writes the lean cache.
    expect(await run(copy)).toEqual([]);
    const third = await run(copy);
    expect(third).toHaveLength(1);
    expect(third[0]).toMatch(lean!);
    expect(statSync(path.join(folder, third[0]!)).size).toBeLessThan(validatingSize * 0.9);
    // Written once: later runs, a newly validated SOP's included, leave it as it is.
    const written = statSync(path.join(folder, third[0]!)).mtimeMs;
    await run(copy);
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}\n# edited\n`);
    expect(await run(copy)).toEqual(third);
    expect(statSync(path.join(folder, third[0]!)).mtimeMs).toBe(written);
  });

  it('two installs of one build keep caches of their own: a stack trace names the file that ran, not the other install\'s', () => {
    const cacheHome = tempDir('sop-cache-installs-');
    // The loader run as bin/sop.js runs it, on two copies of the bundle; an error thrown inside the bundle.
    const stackOf = (install: string) => {
      const script = `const b = require(${JSON.stringify(path.join(repoRoot, 'bin', 'load-bundle.js'))}).loadBundle(process.argv[2], 'validate');
        try { b.exports.errorOutsideCommand(); } catch (error) { process.stdout.write(error.stack); }
        b.saveCache();`;
      // A file, not `node -e`: the bundle's wrapper takes a global `module` for Node's own module wrapper.
      const file = path.join(cacheHome, 'load.cjs');
      writeFileSync(file, script);
      return execFileSync(process.execPath, [file, path.join(install, 'bundle', 'sop.cjs')], { env: { ...process.env, XDG_CACHE_HOME: cacheHome }, encoding: 'utf8' });
    };
    const [first, second] = ['first', 'second'].map((name) => {
      const install = path.join(tempDir(`sop-install-${name}-`), 'dist');
      cpSync(path.join(repoRoot, 'dist', 'bundle'), path.join(install, 'bundle'), { recursive: true });
      return install;
    });
    expect(stackOf(first!)).toContain(path.join(first!, 'bundle', 'sop.cjs'));
    const secondStack = stackOf(second!);
    expect(secondStack).toContain(path.join(second!, 'bundle', 'sop.cjs'));
    expect(secondStack).not.toContain(first!);
    expect(readdirSync(path.join(cacheHome, 'sop')).filter((name) => name.endsWith('.v8'))).toHaveLength(2);
  });

  it('writing a new cache removes the caches and kept validations not used for 30 days, and nothing else', async () => {
    const cacheHome = tempDir('sop-cache-stale-');
    const folder = path.join(cacheHome, 'sop');
    mkdirSync(path.join(folder, 'validated'), { recursive: true });
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    const planted = { staleCode: 'old-build-run-v0-x64.v8', staleVerdict: path.join('validated', 'old.v8'), recent: 'other-build-run-v0-x64.v8', readToday: 'read-build-run-v0-x64.v8', notOurs: 'old-notes.txt' };
    for (const [name, file] of Object.entries(planted)) {
      writeFileSync(path.join(folder, file), name);
      // Written 31 days ago; `readToday` was read since (its access time is today).
      if (name !== 'recent') utimesSync(path.join(folder, file), name === 'readToday' ? new Date() : old, old);
    }
    expect((await validate({ XDG_CACHE_HOME: cacheHome })).code).toBe(0);
    expect(existsSync(path.join(folder, planted.staleCode))).toBe(false);
    expect(existsSync(path.join(folder, planted.staleVerdict))).toBe(false);
    expect(existsSync(path.join(folder, planted.recent))).toBe(true);
    expect(existsSync(path.join(folder, planted.readToday))).toBe(true);
    expect(existsSync(path.join(folder, planted.notOurs))).toBe(true);
  });

  it('the first command of a new build of an install removes that install\'s caches of the old build, and no one else\'s', async () => {
    const cacheHome = tempDir('sop-cache-upgrade-');
    const folder = path.join(cacheHome, 'sop');
    const env = { XDG_CACHE_HOME: cacheHome };
    const root = install();
    const run = (args: string[]) => sop(args, { env, launch: [process.execPath, path.join(root, 'bin', 'sop.js')] });
    const before = await run(['validate', SOP]);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    const [installed] = codeCaches(folder);
    expect((await run(['runs', '--runs-dir', path.join(cacheHome, 'runs')])).code).toBe(0);
    // Another install of sop (the repository's) keeps its cache.
    expect((await validate(env)).code).toBe(0);
    const otherInstall = codeCaches(folder).find((name) => name.slice(33, 41) !== installed!.slice(33, 41));
    expect(codeCaches(folder)).toHaveLength(3);

    const newHash = rebuild(root);
    const after = await run(['validate', SOP]);
    expect(after).toEqual(before);
    // The old build's `validate` and `runs` caches are gone; the new build's `validate` and the other install's are there.
    expect(codeCaches(folder).sort()).toEqual([installed!.replace(BUNDLE_HASH, newHash), otherInstall!].sort());
    // And the next command reads it: nothing is written or removed.
    const kept = statSync(path.join(folder, installed!.replace(BUNDLE_HASH, newHash))).mtimeMs;
    expect(await run(['validate', SOP])).toEqual(before);
    expect(statSync(path.join(folder, installed!.replace(BUNDLE_HASH, newHash))).mtimeMs).toBe(kept);
    expect(codeCaches(folder)).toHaveLength(2);
  });

  it('keeps the folder under 64 MiB by removing the least recently used files first, never the running code\'s', async () => {
    const cacheHome = tempDir('sop-cache-cap-');
    const folder = path.join(cacheHome, 'sop');
    mkdirSync(folder, { recursive: true });
    // Five caches of other installs, 20 MiB each (sparse: no disk used), last used 5 to 1 hours ago.
    const others = [5, 4, 3, 2, 1].map((hours) => {
      const file = path.join(folder, `${'a'.repeat(32)}-${String(hours).repeat(8)}-run-${process.version}-${process.arch}.v8`);
      writeFileSync(file, '');
      truncateSync(file, 20 * 1024 * 1024);
      const used = new Date(Date.now() - hours * 60 * 60 * 1000);
      utimesSync(file, used, used);
      return file;
    });
    const reference = await validate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(await validate({ XDG_CACHE_HOME: cacheHome })).toEqual(reference);
    // 100 MiB and this cache: the two used longest ago go, the three others and the new cache stay.
    expect(others.map((file) => existsSync(file))).toEqual([false, false, true, true, true]);
    expect(codeCaches(folder).filter((name) => name.startsWith(BUNDLE_HASH))).toHaveLength(1);
    const total = readdirSync(folder).filter((name) => name.endsWith('.v8')).reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0);
    expect(total).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('commands of two builds at once, each removing the caches the other reads, all print the same', async () => {
    const cacheHome = tempDir('sop-cache-race-');
    const root = install();
    const hashFile = path.join(root, 'dist', 'bundle', 'sop.cjs.sha256');
    const hashes = [BUNDLE_HASH, 'b'.repeat(32)];
    const reference = await validate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    // Each command reads the hash beside the bundle as it starts: switching it between starts makes
    // commands of two builds of one install run together, each one's new cache removing the other's.
    const runs: Array<ReturnType<typeof sop>> = [];
    for (let index = 0; index < 8; index += 1) {
      writeFileSync(hashFile, `${hashes[index % 2]}\n`);
      runs.push(sop(['validate', SOP], { env: { XDG_CACHE_HOME: cacheHome }, launch: [process.execPath, path.join(root, 'bin', 'sop.js')] }));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    for (const result of await Promise.all(runs)) expect(result).toEqual(reference);
    // At most one build's caches are left: whichever wrote last removed the other's.
    expect(new Set(codeCaches(path.join(cacheHome, 'sop')).map((name) => name.slice(0, 32))).size).toBeLessThanOrEqual(1);
  });

  it('a cache folder it cannot remove from, or write to, changes nothing a command prints', async () => {
    const reference = await validate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    const cacheHome = tempDir('sop-cache-readonly-');
    const folder = path.join(cacheHome, 'sop');
    const stale = path.join(folder, 'validated', 'old.v8');
    mkdirSync(path.dirname(stale), { recursive: true });
    writeFileSync(stale, 'old');
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    utimesSync(stale, old, old);
    chmodSync(path.dirname(stale), 0o555);
    const validateUnprivileged = async () => {
      const result = await sop(['validate', SOP], { env: { XDG_CACHE_HOME: cacheHome }, withoutDacOverride: true });
      return { code: result.code, stdout: result.stdout, stderr: result.stderr };
    };
    // The code cache is written; the stale verdict in the read-only folder stays.
    expect(await validateUnprivileged()).toEqual(reference);
    expect(codeCaches(folder)).toHaveLength(1);
    expect(existsSync(stale)).toBe(true);
    // Nothing can be written at all.
    chmodSync(folder, 0o555);
    rmSync(path.join(folder, codeCaches(folder)[0]!), { force: true });
    expect(await validateUnprivileged()).toEqual(reference);
    chmodSync(folder, 0o755);
    chmodSync(path.dirname(stale), 0o755);
  });

  it('a damaged cache file, or a cache folder that cannot be made, is ignored', async () => {
    const reference = await validate({ NODE_DISABLE_COMPILE_CACHE: '1' });
    const cacheHome = tempDir('sop-cache-damaged-');
    await validate({ XDG_CACHE_HOME: cacheHome });
    const file = readdirSync(path.join(cacheHome, 'sop')).find((name) => name.endsWith('.v8'));
    writeFileSync(path.join(cacheHome, 'sop', file!), 'not V8 code');
    expect(await validate({ XDG_CACHE_HOME: cacheHome })).toEqual(reference);

    const notAFolder = path.join(tempDir('sop-cache-file-'), 'file');
    writeFileSync(notAFolder, '');
    expect(await validate({ XDG_CACHE_HOME: notAFolder })).toEqual(reference);
  });

  it('the bundle is ASCII, read as one byte a character (non-ASCII characters of regular expressions are \\u escapes)', () => {
    expect(isAscii(readFileSync(path.join(repoRoot, 'dist', 'bundle', 'sop.cjs')))).toBe(true);
  });

  it('a relative cache folder is ignored: nothing is written in the current folder', async () => {
    const cwd = tempDir('sop-cache-relative-');
    const result = await sop(['validate', SOP], { cwd, env: { XDG_CACHE_HOME: 'cache', HOME: '' } });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 writes no cache', async () => {
    const cacheHome = tempDir('sop-cache-off-');
    expect((await validate({ XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    expect(existsSync(path.join(cacheHome, 'sop'))).toBe(false);
  });
});
