import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A home of its own: the plugin writes its completion functions under `$XDG_CACHE_HOME/sop`. */
function home(): Record<string, string> {
  const dir = tempDir('sop-autocomplete-');
  return { HOME: dir, XDG_CACHE_HOME: path.join(dir, 'cache'), XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data') };
}

/** What bash offers after `words` (the last one being completed), using the generated completion function. */
async function bashCompletes(setupLine: string, words: string[], env: Record<string, string>): Promise<string[]> {
  const script = [
    setupLine,
    `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${words.join(' ')}'`,
    '_sop_autocomplete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { env: { ...process.env, ...env } });
  return stdout.split('\n').filter(Boolean);
}

describe.concurrent('sop autocomplete (@oclif/plugin-autocomplete)', () => {
  it('is a command of the CLI, listed in `sop --help`, with its own help', async () => {
    const env = home();
    const help = await sop(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+autocomplete\s+Display autocomplete installation instructions\./m);
    const own = await sop(['autocomplete', '--help'], { env });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('$ sop autocomplete [SHELL]');
    expect(own.stdout).toContain('(zsh|bash|powershell)');
  });

  it('generates a bash completion that completes the commands of the explicit list and their flags', async () => {
    const env = home();
    const setup = await sop(['autocomplete', 'bash'], { env });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('sop autocomplete script bash');
    const script = await sop(['autocomplete', 'script', 'bash'], { env });
    expect(script.code, script.stderr).toBe(0);
    const setupLine = script.stdout.trim();
    expect(setupLine).toMatch(/^SOP_AC_BASH_SETUP_PATH=.*bash_setup/);
    expect(existsSync(path.join(env['XDG_CACHE_HOME'] as string, 'sop', 'autocomplete', 'functions', 'zsh', '_sop'))).toBe(true);

    expect(await bashCompletes(setupLine, ['sop', 'gr'], env)).toEqual(['graph']);
    expect(await bashCompletes(setupLine, ['sop', 'r'], env)).toEqual(expect.arrayContaining(['run', 'runs', 'resume']));
    expect(await bashCompletes(setupLine, ['sop', 'graph', '--f'], env)).toEqual(['--format']);
    expect(await bashCompletes(setupLine, ['sop', 'run', '--jun'], env)).toEqual(['--junit']);
  });

  it('an unknown shell is a usage error: one message, no stack', async () => {
    const result = await sop(['autocomplete', 'fish'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fish/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
