import { isAscii } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('writing a new cache removes the caches and kept validations not written for 30 days, and nothing else', async () => {
    const cacheHome = tempDir('sop-cache-stale-');
    const folder = path.join(cacheHome, 'sop');
    mkdirSync(path.join(folder, 'validated'), { recursive: true });
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    const planted = { staleCode: 'old-build-run-v0-x64.v8', staleVerdict: path.join('validated', 'old.v8'), recent: 'other-build-run-v0-x64.v8', notOurs: 'old-notes.txt' };
    for (const [name, file] of Object.entries(planted)) {
      writeFileSync(path.join(folder, file), name);
      if (name !== 'recent') utimesSync(path.join(folder, file), old, old);
    }
    expect((await validate({ XDG_CACHE_HOME: cacheHome })).code).toBe(0);
    expect(existsSync(path.join(folder, planted.staleCode))).toBe(false);
    expect(existsSync(path.join(folder, planted.staleVerdict))).toBe(false);
    expect(existsSync(path.join(folder, planted.recent))).toBe(true);
    expect(existsSync(path.join(folder, planted.notOurs))).toBe(true);
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
