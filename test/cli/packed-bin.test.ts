import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// bin/ is CommonJS (bin/package.json) in a package of ES modules: the packed package must carry
// that file, or an installed `sop` would be read as an ES module and fail on its first `require`.
describe('the packed package (npm pack)', () => {
  it('runs `sop --version` and `sop validate` from its own bin/ as installed', () => {
    const dir = tempDir('sop-packed-');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(packed[0]?.files.map((file) => file.path)).toEqual(expect.arrayContaining(['bin/sop.js', 'bin/load-bundle.js', 'bin/package.json', 'dist/bundle/sop.cjs']));
    execFileSync('tar', ['-xzf', path.join(dir, packed[0]?.filename as string), '-C', dir]);
    const installed = path.join(dir, 'package');
    // Its dependencies, as npm would have installed them beside it.
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(installed, 'node_modules'));
    expect(readdirSync(path.join(installed, 'bin')).sort()).toEqual(['load-bundle.js', 'package.json', 'sop.js']);
    const run = (args: string[]) => spawnSync(process.execPath, [path.join(installed, 'bin', 'sop.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, VITEST: undefined, VITEST_WORKER_ID: undefined } });
    const version = run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^sop-runner\/\S+ /);
    const validate = run(['validate', path.join(installed, 'sops', 'software-company.yaml')]);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid');
  });
});
