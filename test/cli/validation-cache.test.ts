import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// `sop validate` and the commands that load an SOP keep a verdict without errors in
// $XDG_CACHE_HOME/sop/validated (src/cli/validation-cache.ts). What a user sees must not depend on
// it: the same output from a kept verdict, and a new verdict as soon as the SOP, a file it
// references or its folder changed.

/** A copy of sops/ (the software company and its prompts, schemas and templates), its SOP file and a cache folder of its own. */
function project(): { dir: string; file: string; cacheHome: string } {
  const root = tempDir('sop-validated-');
  const dir = path.join(root, 'sops');
  cpSync(path.join(repoRoot, 'sops'), dir, { recursive: true });
  return { dir, file: path.join(dir, 'software-company.yaml'), cacheHome: path.join(root, 'cache') };
}

async function validate(args: string[], env: Record<string, string | undefined>) {
  const result = await sop(['validate', ...args], { env });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

function entries(cacheHome: string): string[] {
  const folder = path.join(cacheHome, 'sop', 'validated');
  return existsSync(folder) ? readdirSync(folder).map((name) => path.join(folder, name)) : [];
}

describe.concurrent('validated SOPs kept between commands', () => {
  it('a valid SOP\'s verdict is kept, and the next command prints the same, --json and `sop run` too', async () => {
    const { file, cacheHome } = project();
    const reference = await validate([file], { NODE_DISABLE_COMPILE_CACHE: '1' });
    const first = await validate([file], { XDG_CACHE_HOME: cacheHome });
    expect(entries(cacheHome)).toHaveLength(1);
    const second = await validate([file], { XDG_CACHE_HOME: cacheHome });
    expect(first).toEqual(reference);
    expect(second).toEqual(reference);
    expect(reference).toMatchObject({ code: 0, stdout: `${file}: valid\n1 file: 1 valid, 0 invalid, 0 errors, 0 warnings\n` });
    expect(await validate([file, '--json'], { XDG_CACHE_HOME: cacheHome })).toEqual(await validate([file, '--json'], { NODE_DISABLE_COMPILE_CACHE: '1' }));

    // A run takes the kept SOP: every prompt it would send is the same, and it runs to the end.
    const preview = ['run', file, 'a todo app', '--dry-run'];
    expect(await sop(preview, { env: { XDG_CACHE_HOME: cacheHome } })).toEqual(await sop(preview, { env: { NODE_DISABLE_COMPILE_CACHE: '1' } }));
    const runIn = tempDir('sop-validated-run-');
    const run = await sop(['run', file, 'a todo app', '--quiet', '--runs-dir', path.join(runIn, 'runs'), '--workspace', path.join(runIn, 'ws')], { env: { XDG_CACHE_HOME: cacheHome } });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(runIn, 'ws', 'docs', 'prd.md'), 'utf8')).toMatch(/^# PRD: /);
    expect(entries(cacheHome)).toHaveLength(1);
  });

  it('an edited SOP, or a referenced file that changed, vanished or now lies behind a symlink, is validated again', async () => {
    const { dir, file, cacheHome } = project();
    const env = { XDG_CACHE_HOME: cacheHome };
    expect((await validate([file], env)).code).toBe(0);

    const prompt = path.join(dir, 'software-company', 'prompts', 'write_prd.liquid');
    const text = readFileSync(prompt, 'utf8');
    writeFileSync(prompt, `${text}\n{% if %}\n`);
    const broken = await validate([file], env);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain('write_prd.liquid');
    writeFileSync(prompt, text);
    expect((await validate([file], env)).code).toBe(0);

    const schema = path.join(dir, 'software-company', 'schemas', 'prd.json');
    renameSync(schema, `${schema}.moved`);
    const missing = await validate([file], env);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain('does not exist');

    // The same bytes, now a link to a file outside the SOP's folder: refused, not taken from the cache.
    const outside = path.join(tempDir('sop-validated-outside-'), 'prd.json');
    renameSync(`${schema}.moved`, outside);
    symlinkSync(outside, schema);
    const escaped = await validate([file], env);
    expect(escaped.code).toBe(3);
    expect(escaped.stdout).toContain('outside the SOP\'s folder');

    const sopText = readFileSync(file, 'utf8');
    writeFileSync(file, sopText.replace('profile: Product Manager', 'profile: ""'));
    const edited = await validate([file], env);
    expect(edited.code).toBe(3);
  });

  it('a damaged entry is ignored', async () => {
    const { file, cacheHome } = project();
    const reference = await validate([file], { NODE_DISABLE_COMPILE_CACHE: '1' });
    await validate([file], { XDG_CACHE_HOME: cacheHome });
    const [entry] = entries(cacheHome);
    const bytes = readFileSync(entry!);
    writeFileSync(entry!, bytes.subarray(0, bytes.length >> 1));
    expect(await validate([file], { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
    writeFileSync(entry!, 'not an entry');
    expect(await validate([file], { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
  });

  it('keeps no verdict with errors, nor one of an SOP whose templates use partials', async () => {
    const { dir, file, cacheHome } = project();
    const invalid = path.join(dir, 'invalid.yaml');
    writeFileSync(invalid, readFileSync(file, 'utf8').replace('profile: Product Manager', 'profile: ""'));
    expect((await validate([invalid], { XDG_CACHE_HOME: cacheHome })).code).toBe(3);
    expect(entries(cacheHome)).toEqual([]);

    const prompt = path.join(dir, 'software-company', 'prompts', 'write_prd.liquid');
    mkdirSync(path.join(dir, 'partials'));
    writeFileSync(path.join(dir, 'partials', 'tone.liquid'), 'Be brief.\n');
    writeFileSync(prompt, `{% include 'partials/tone' %}\n${readFileSync(prompt, 'utf8')}`);
    expect((await validate([file], { XDG_CACHE_HOME: cacheHome })).code).toBe(0);
    expect(entries(cacheHome)).toEqual([]);
  });
});
