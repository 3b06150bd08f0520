import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Config } from '@oclif/core';
import { EXIT_CODE_TABLE } from '../../src/errors/index.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { envelopeOf, resultOf, schemaValidators, type Envelope } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

describe('sop (root)', () => {
  it('--version prints the package name and version', async () => {
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const result = await sop(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^sop-runner/${version.replace(/\./g, '\\.')} `));
  });

  it('-v prints the same line as --version, the way oclif words it (name/version platform-arch node-version)', async () => {
    const [long, short] = await Promise.all([sop(['--version']), sop(['-v'])]);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(long.stdout).toMatch(new RegExp(`^sop-runner/\\S+ ${process.platform}-${process.arch} node-${process.version.replace(/\./g, '\\.')}\n$`));
  });

  it('--help lists every command and the whole exit-code table', async () => {
    const result = await sop(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['validate', 'schema', 'graph', 'init', 'run', 'runs']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(result.stdout).toContain('EXIT CODES');
    for (const [code, meaning] of EXIT_CODE_TABLE) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${code}  ${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it.each([
    [['help'], ['--help']],
    [['-h'], ['--help']],
    [['help', 'run'], ['run', '--help']],
    [['run', '-h'], ['run', '--help']],
    [['help', 'resume'], ['resume', '--help']],
  ])('`sop %j` prints what `sop %j` prints (exit 0)', async (asked, same) => {
    const [result, expected] = await Promise.all([sop(asked), sop(same)]);
    expect(result.code, result.stderr).toBe(0);
    expect(expected.stdout).toMatch(/^USAGE$/m);
    expect(result.stdout).toBe(expected.stdout);
  });

  it('`sop help` of a command that does not exist is a usage error (exit 2), worded as `sop no-such-command` is', async () => {
    const result = await sop(['help', 'no-such-command']);
    expect(result.code).toBe(2);
    // oclif's help said "error USAGE: Command no-such-command not found." with no guess.
    expect(result.stderr).toBe('error USAGE: command no-such-command not found\n  hint: see `sop --help`\n');
    const typo = await sop(['help', 'valdate']);
    expect(typo.stderr).toBe('error USAGE: command valdate not found\n  hint: did you mean `validate`? (see `sop --help`)\n');
  });

  it('an unknown flag is a usage error (exit 2) without a stack', async () => {
    const result = await sop(['schema', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-flag');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('every command\'s --help reads cleanly: a usage line with no empty or nested groups, examples that start with $, descriptions wrapped by the help, not mid-sentence', { timeout: 180_000 }, async () => {
    const config = await Config.load({ root: repoRoot, userPlugins: false, devPlugins: false });
    const commands = config.commands.filter((command) => !command.hidden && command.pluginName === config.name);
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      // A line break inside a paragraph of the source shows as a ragged break in the help (a list's
      // items, `--flag: ...`, and a code line, `# ...`, are lines of their own).
      expect(command.description ?? '', command.id).not.toMatch(/[^\n]\n(?!\n|# |\s*--)/);
      const result = await sop([...command.id.split(':'), '--help'], { env: { COLUMNS: '100' } });
      expect(result.code, command.id).toBe(0);
      const lines = result.stdout.split('\n');
      const section = (name: string): string => {
        const start = lines.indexOf(name);
        if (start === -1) return '';
        const end = lines.findIndex((line, index) => index > start && /^[A-Z][A-Z ]+$/.test(line));
        return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
      };
      const usage = section('USAGE').replace(/\s+/g, ' ').trim();
      expect(usage, command.id).toMatch(new RegExp(`^\\$ sop ${command.id.replaceAll(':', ' ')}`));
      // oclif groups a flag with those its exclusive/dependsOn name: `[--a | ]`, `[--a ]` or a group in a group is unreadable.
      expect(usage, command.id).not.toMatch(/\|\s*\||\|\s*\]|\[\s*\||\s\]|\[[^\]]*\[/);
      const examples = section('EXAMPLES').split('\n').map((line) => line.trim()).filter(Boolean);
      for (const line of examples) expect(line, command.id).toMatch(/^\$ /);
    }
    expect((await sop(['run', '--help'])).stdout.replace(/\s+/g, ' ')).toContain('[--record <value> | --replay <value>]');
  });

  it('an unknown flag close to one of the command\'s gets a did-you-mean, on every command, also in --json', { timeout: 180_000 }, async () => {
    const config = await Config.load({ root: repoRoot, userPlugins: false, devPlugins: false });
    const commands = config.commands.filter((command) => !command.hidden && command.pluginName === config.name);
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      // A flag of the command's own with a letter dropped: `--datset` for `--dataset`.
      const flag = Object.keys(command.flags).find((name) => name.length >= 6 && !command.flags[name]?.hidden && name !== 'json');
      if (flag === undefined) continue;
      const typo = `--${flag.slice(0, 2)}${flag.slice(3)}`;
      const result = await sop([...command.id.split(':'), typo]);
      expect(result.code, `${command.id} ${typo}: ${result.stderr}`).toBe(2);
      expect(result.stderr, command.id).toBe(`error USAGE: unknown flag ${typo}\n  hint: did you mean \`--${flag}\`? (see \`sop ${command.id.replaceAll(':', ' ')} --help\`)\n`);
    }
    const json = envelopeOf(await sop(['eval', 'x.yaml', '--datset', 'cases.yaml', '--json']));
    expect(json).toMatchObject({ ok: false, exitCode: 2, error: { code: 'USAGE', hint: 'did you mean `--dataset`? (see `sop eval --help`)' } });
    // Nothing close: only the pointer to the help.
    expect((await sop(['eval', '--zzzzzz'])).stderr).toBe('error USAGE: unknown flag --zzzzzz\n  hint: see `sop eval --help`\n');
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const result = await sop(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('command frobnicate not found');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a mistyped command is named as typed, with the nearest command (oclif joined the arguments to it)', async () => {
    const result = await sop(['valdate', 'my.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: command valdate not found\n  hint: did you mean `validate`? (see `sop --help`)\n');
    const json = await sop(['valdate', 'my.yaml', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: null, ok: false, exitCode: 2, error: { code: 'USAGE', message: 'command valdate not found', hint: 'did you mean `validate`? (see `sop --help`)' } });
  });

  it('another tool\'s word for a command, `version`, or an SOP file where the command goes: the hint names what was meant', async () => {
    const hintOf = async (args: string[]) => {
      const result = await sop(args);
      expect(result.code).toBe(2);
      return /hint: (.*)/.exec(result.stderr)?.[1];
    };
    expect(await hintOf(['lint', 'my.yaml'])).toBe('did you mean `validate`? (see `sop --help`)');
    expect(await hintOf(['ls'])).toBe('did you mean `runs`? (see `sop --help`)');
    expect(await hintOf(['version'])).toBe('did you mean `sop --version`? (see `sop --help`)');
    expect(await hintOf(['approve', '20260101-120000-a1b2c3'])).toBe('did you mean `sop resume RUN --approve`? (see `sop --help`)');
    expect(await hintOf(['team.yaml', 'an idea'])).toBe('did you mean `sop run team.yaml` (or `sop validate team.yaml`)? (see `sop --help`)');
  });

  it('--json and --debug may come before the command word, as with git (`sop --json runs`)', async () => {
    const cwd = tempDir();
    const result = await sop(['--json', '--debug', 'runs', '--limit', '1'], { cwd });
    expect(result.stderr).not.toContain('not found');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ command: 'runs', ok: true, exitCode: 0, result: { runs: [] } });
    const help = await sop(['--json', 'help', 'runs']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^List past runs/);
  });

  it('another flag before the command word is named as a flag, not as a command not found', async () => {
    const result = await sop(['-q', 'run', 'my.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: -q is not a command: a flag goes after the command\n  hint: sop COMMAND ... -q (see `sop --help` for the commands)\n');
  });

  it('`sop --verison`: an unknown flag, with the nearest of sop\'s own (it was "--verison is not a command: a flag goes after the command")', async () => {
    const result = await sop(['--verison']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: unknown flag --verison\n  hint: did you mean `sop --version`? (see `sop --help`)\n');
  });

  it('`sop version` and `sop --verison` started as `node PATH/bin/sop.js`: the --version hint is typed so too', async () => {
    // No `sop` on PATH, outside the project: hints type sop as it was started.
    const options = { cwd: tempDir(), env: { PATH: path.dirname(process.execPath), npm_command: undefined } };
    const typed = `node ${path.join(repoRoot, 'bin', 'sop.js')}`;
    for (const args of [['version'], ['--verison']]) {
      const result = await sop(args, options);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`hint: did you mean \`${typed} --version\`? (see \`${typed} --help\`)`);
    }
  });

  it('an unknown command with --json still prints the envelope, of no command', async () => {
    const result = await sop(['frobnicate', '--json']);
    expect(result.code).toBe(2);
    const envelope = JSON.parse(result.stdout) as Envelope;
    expect(schemaValidators().envelope(envelope), JSON.stringify(schemaValidators().envelope.errors)).toBe(true);
    expect(envelope).toMatchObject({ command: null, ok: false, exitCode: 2, error: { code: 'USAGE', message: expect.stringContaining('command frobnicate not found') } });
  });
});

describe('sop schema', () => {
  it('prints the packaged JSON Schema, from any working folder', async () => {
    const result = await sop(['schema'], { cwd: tempDir() });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { $id: string; title: string };
    expect(schema.$id).toBe('https://sop-runner.dev/schemas/sop.v1.schema.json');
    expect(result.stdout).toBe(readFileSync(path.join(repoRoot, 'schemas', 'sop.v1.schema.json'), 'utf8'));
  });
});

describe('sop run (before loading anything)', () => {
  it('refuses a model of an unknown provider with PROVIDER_UNKNOWN, exit 2, before reading the SOP', async () => {
    const result = await sop(['run', 'whatever.yaml', 'an idea', '--model', 'nosuch:gpt-4o']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error PROVIDER_UNKNOWN: unknown provider `nosuch` for model `nosuch:gpt-4o` from --model');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    [['--provider', 'nosuch'], {}, 'from --provider;'],
    [[], { SOP_PROVIDER: 'nosuch' }, 'from SOP_PROVIDER;'],
  ])('an unknown default provider (%j %j) is named where it was set, as typed (it read "from default_provider (flag:--provider)")', async (flags, env, from) => {
    const result = await sop(['run', 'whatever.yaml', 'an idea', '--model', 'gpt-4o', ...flags], { cwd: tempDir(), env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error PROVIDER_UNKNOWN: unknown provider \`nosuch\` ${from}`);
  });
});

describe('sop runs', () => {
  it('an empty runs folder: exit 0, --json gives an empty list', async () => {
    const json = await sop(['runs', '--json'], { cwd: tempDir() });
    expect(json.code).toBe(0);
    expect(resultOf(json)).toEqual({ runs: [] });
  });
});
