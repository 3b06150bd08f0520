import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * `sop init` ends with the commands to run next. A user who started it as `npx sop init` has no
 * `sop` on PATH: the lines said `sop validate ...` all the same, a command not found.
 */
afterAll(removeTempDirs);

/** npm's variables of the shell the suite runs in (`npx vitest` sets them): a user's shell has none. */
const NO_NPM = { npm_command: undefined, npm_lifecycle_event: undefined, npm_execpath: undefined };

/** A project with sop installed in it (node_modules/.bin/sop, as npm links it), and no `sop` on PATH. */
function projectWithSop(): string {
  const project = tempDir('sop-init-next-');
  writeFileSync(path.join(project, 'package.json'), '{ "private": true }\n');
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(binPath, path.join(project, 'node_modules', '.bin', 'sop'));
  return project;
}

function nextLines(stdout: string): string {
  return stdout.slice(stdout.indexOf('Next:'));
}

describe('sop init: the "Next" commands are typed the way sop was started', () => {
  it('started with npx: `npx sop ...`', async () => {
    const project = projectWithSop();
    const result = await sop(['init', 'blog'], { cwd: project, env: NO_NPM, launch: ['npx', '--no-install', 'sop'] });
    expect(result.code, result.stderr).toBe(0);
    expect(nextLines(result.stdout)).toBe(
      `Next:\n  npx sop validate ${path.join('blog', 'sop.yaml')}\n  npx sop run ${path.join('blog', 'sop.yaml')} "a short text about tidal power"\n  npx sop test ${path.join('blog', 'sop.yaml')}\n`,
    );
  });

  it('started as node_modules/.bin/sop, with no sop on PATH: `npx sop ...` (a bare `sop` is not found)', async () => {
    const project = projectWithSop();
    const result = await sop(['init', 'blog'], { cwd: project, env: { ...NO_NPM, PATH: path.dirname(process.execPath) }, launch: [path.join(project, 'node_modules', '.bin', 'sop')] });
    expect(result.code, result.stderr).toBe(0);
    expect(nextLines(result.stdout)).toContain(`\n  npx sop validate ${path.join('blog', 'sop.yaml')}\n`);
  });

  it('started as `sop` from PATH (a global install, npm link): `sop ...`', async () => {
    const project = tempDir('sop-init-next-');
    const globalBin = tempDir('sop-global-bin-');
    symlinkSync(binPath, path.join(globalBin, 'sop'));
    const result = await sop(['init', 'blog'], { cwd: project, env: { ...NO_NPM, PATH: [globalBin, path.dirname(process.execPath)].join(path.delimiter) }, launch: ['sop'] });
    expect(result.code, result.stderr).toBe(0);
    expect(nextLines(result.stdout)).toBe(
      `Next:\n  sop validate ${path.join('blog', 'sop.yaml')}\n  sop run ${path.join('blog', 'sop.yaml')} "a short text about tidal power"\n  sop test ${path.join('blog', 'sop.yaml')}\n`,
    );
  });

  // A clone of sop's repository has no node_modules/.bin/sop: its `sop` is bin/sop.js, and `npx sop` finds it from the clone's folders.
  it('started as `node bin/sop.js` in a clone of sop, with no sop on PATH: `npx sop ...`', async () => {
    const target = tempDir('sop-init-next-');
    const result = await sop(['init', target], { cwd: repoRoot, env: { ...NO_NPM, PATH: path.dirname(process.execPath) } });
    expect(result.code, result.stderr).toBe(0);
    expect(nextLines(result.stdout)).toContain(`\n  npx sop validate ${path.join(target, 'sop.yaml')}\n`);
  });

  // `npx sop` there would look for another package, named `sop`, in the registry.
  it('started as `node PATH/bin/sop.js` from a folder outside sop\'s project, with no sop on PATH: `node PATH/bin/sop.js ...`', async () => {
    const elsewhere = tempDir('sop-init-next-');
    const result = await sop(['init', 'blog'], { cwd: elsewhere, env: { ...NO_NPM, PATH: path.dirname(process.execPath) } });
    expect(result.code, result.stderr).toBe(0);
    expect(nextLines(result.stdout)).toContain(`\n  node ${binPath} validate ${path.join('blog', 'sop.yaml')}\n`);
  });
});

describe('sop init into a folder named with shell characters', () => {
  // Quoted only when the name had a space, and then in double quotes: `it's` left a quote open, `#x` began a comment, `$HOME` and a backquote were expanded.
  it.each(["it's ü", '#1 notes', 'cost $HOME `echo x` "q"'])('the Next commands run as pasted into a shell: %s', async (name) => {
    const cwd = tempDir('sop-init-next-');
    const result = await sop(['init', name], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const lines = nextLines(result.stdout).split('\n').slice(1, 4).map((line) => line.trim());
    expect(lines[0]).toMatch(/^sop validate '/);
    const validated = await sop([], { cwd, launch: ['sh', '-c', lines[0] as string] });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain(`${path.join(name, 'sop.yaml')}: valid`);
    const tested = await sop([], { cwd, launch: ['sh', '-c', lines[2] as string] });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  });
});
