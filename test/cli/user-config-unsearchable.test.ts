import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const W1 = path.join(repoRoot, 'bench', 'workloads', 'w1-pipeline.yaml');

/**
 * `HOME` a folder this user may not search (`HOME=/root` for another user, as a CI container or a
 * service often has it): there is no user configuration file to read, as when there is none. Every
 * command failed with FILE_UNREADABLE for `~/.config/sop/config.yaml`, a file that does not exist.
 * Run as root without the capabilities that bypass file permissions, as another user would be.
 */
describe('a user configuration file sop may not look for', () => {
  it('a HOME it may not search is no user file: the run goes on, without a word about it', async () => {
    const cwd = tempDir('sop-home-');
    const home = path.join(cwd, 'home');
    mkdirSync(home);
    chmodSync(home, 0o000);
    const result = await sop(['run', W1, 'a todo app'], { cwd, env: { HOME: home, XDG_CONFIG_HOME: undefined }, withoutDacOverride: true });
    chmodSync(home, 0o700);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('config.yaml');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a user file that is there but unreadable is still refused: its settings are not dropped in silence', async () => {
    const cwd = tempDir('sop-home-');
    const folder = path.join(cwd, 'home', '.config', 'sop');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'config.yaml'), 'default_model: offline\n');
    chmodSync(path.join(folder, 'config.yaml'), 0o000);
    const result = await sop(['run', W1, 'a todo app'], { cwd, env: { HOME: path.join(cwd, 'home'), XDG_CONFIG_HOME: undefined }, withoutDacOverride: true });
    chmodSync(path.join(folder, 'config.yaml'), 0o600);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error FILE_UNREADABLE: cannot read ${path.join(folder, 'config.yaml')}: permission denied`);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
