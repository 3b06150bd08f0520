import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config, type Command } from '@oclif/core';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

/**
 * Every parse error oclif finds (missing argument, unknown flag, a flag without its value, an extra
 * argument) reads as every other usage error of sop: `error USAGE: ...`, the hint naming the
 * command's help, exit 2, and the same error in the --json envelope. `sop report` without its RUN
 * said `error: missing argument` with no code (found by a new-user trial).
 */
let commands: Command.Loadable[];
let cwd: string;
beforeAll(async () => {
  const config = await Config.load({ root: repoRoot, userPlugins: false, devPlugins: false });
  commands = config.commands.filter((command) => !command.hidden && command.pluginName === config.name);
  cwd = tempDir('sop-usage-');
});

const usage = (message: string, id: string): string => `error USAGE: ${message}\n  hint: see \`sop ${id.replaceAll(':', ' ')} --help\`\n`;

describe('oclif parse errors in sop\'s one-line form, on every command', () => {
  it('an unknown flag, a flag without its value, an extra argument, a missing argument: USAGE, exit 2, hint `sop COMMAND --help`', { timeout: 300_000 }, async () => {
    expect(commands.length).toBeGreaterThan(10);
    let missingChecked = 0;
    for (const command of commands) {
      const id = command.id;
      const words = id.split(':');
      const args = Object.values(command.args);
      const required = args.filter((arg) => arg.required);
      // An argument with a fixed set of values gets one of them: the flag, not the value, is under test.
      const filled = args.map((arg, index) => arg.options?.[0] ?? `arg${index + 1}`);
      const valued = Object.entries(command.flags).find(([name, flag]) => flag.type === 'option' && !flag.hidden && name !== 'json' && !flag.env);
      const cases: Array<[string[], string]> = [[[...words, ...filled, '--zzzz-nope'], 'unknown flag --zzzz-nope']];
      if (valued) cases.push([[...words, ...filled, `--${valued[0]}`], `--${valued[0]} needs a value${valued[1].options ? `: one of ${valued[1].options.join(', ')}` : ''}`]);
      if (command.strict !== false) cases.push([[...words, ...filled, 'surplus'], 'unexpected argument surplus']);
      if (required.length > 0) {
        missingChecked += 1;
        cases.push([words, `missing argument${required.length === 1 ? '' : 's'} ${required.map((arg) => arg.name.toUpperCase()).join(', ')}`]);
      }
      const results = await Promise.all(cases.map(([argv]) => sop(argv, { cwd })));
      results.forEach((result, index) => {
        const [argv, message] = cases[index] as [string[], string];
        const shown = `sop ${argv.join(' ')}: ${result.stderr}`;
        expect(result.code, shown).toBe(2);
        expect(result.stdout, shown).toBe('');
        if (message.startsWith('missing argument')) expect(result.stderr, shown).toMatch(new RegExp(`^error USAGE: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+\\n  hint: see \`sop ${words.join(' ')} --help\`\\n$`));
        else expect(result.stderr, shown).toBe(usage(message, id));
        expect(result.stderr).not.toMatch(STACK_LINE);
      });
    }
    expect(missingChecked).toBeGreaterThan(4);
  });

  it('sop report without RUN, as the trial found it: the code, the exit code, and the same error in --json', async () => {
    const text = await sop(['report'], { cwd });
    expect(text.code).toBe(2);
    expect(text.stderr).toBe(usage('missing argument RUN: run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder', 'report'));
    const json = await sop(['report', '--json'], { cwd });
    expect(json.code).toBe(2);
    expect(envelopeOf(json)).toMatchObject({
      command: 'report',
      ok: false,
      exitCode: 2,
      error: { code: 'USAGE', exitCode: 2, message: 'missing argument RUN: run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder', hint: 'see `sop report --help`' },
    });
  });

  it('a plugin\'s command (sop autocomplete), whose errors bin/sop.js catches, says them the same way', async () => {
    const unknown = await sop(['autocomplete', '--zz'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(usage('unknown flag --zz', 'autocomplete'));
    const shell = await sop(['autocomplete', 'fish'], { cwd });
    expect(shell.code).toBe(2);
    expect(shell.stderr).toBe(usage('expected one of zsh, bash, powershell, got `fish`', 'autocomplete'));
    expect(envelopeOf(await sop(['autocomplete', 'fish', '--json'], { cwd }))).toMatchObject({ command: null, ok: false, exitCode: 2, error: { code: 'USAGE', hint: 'see `sop autocomplete --help`' } });
  });

  it.each([
    // oclif said "--record=a cannot also be provided when using --replay; --replay=b cannot also be provided when using --record".
    [['run', 'x.yaml', '--record', 'a', '--replay', 'b'], '--record cannot be used with --replay', 'run'],
    [['resume', 'r', '--approve', '--reject', 'no'], '--approve cannot be used with --reject', 'resume'],
    [['validate', 'x.yaml', '--format', 'xml'], '--format: expected one of text, json, github, got `xml`', 'validate'],
    [['run', 'x.yaml', '--model', 'a', '--model', 'b'], '--model can be given only once', 'run'],
    [['worker'], 'missing required flag --redis', 'worker'],
    // Checked as before, though declared as relationships so that the usage line stays flat.
    [['run', 'x.yaml', '--dry-run', '--junit', 'j.xml'], '--junit cannot be used with --dry-run', 'run'],
    [['run', 'x.yaml', '--action', 'a'], '--action needs --dry-run', 'run'],
    [['run', 'x.yaml', '--detach'], '--detach needs --queue', 'run'],
    [['run', 'x.yaml', '--lock', 'l'], '--lock needs --frozen', 'run'],
  ])('sop %j: %s', async (argv, message, id) => {
    const result = await sop(argv, { cwd, env: { SOP_REDIS_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(usage(message, id));
    const json = await sop([...argv, '--json'], { cwd, env: { SOP_REDIS_URL: undefined } });
    expect(envelopeOf(json)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'USAGE', message } });
  });

  it('a flag\'s value near one of its options: did you mean it', async () => {
    const result = await sop(['validate', 'x.yaml', '--format', 'jsn'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: --format: expected one of text, json, github, got `jsn`\n  hint: did you mean `json`? (see `sop validate --help`)\n');
    const graph = await sop(['graph', 'x.yaml', '--format=mermiad'], { cwd });
    expect(graph.stderr).toContain('hint: did you mean `mermaid`? (see `sop graph --help`)');
  });

  it("sop worker --queue with a Redis address: --queue is the worker's queue name, the address goes in --redis", async () => {
    // `sop run`, `sop runs` and `sop resume` take the address as --queue; the worker said only "letters, digits, _ and - only".
    const result = await sop(['worker', '--redis', 'redis://127.0.0.1:1', '--queue', 'redis://127.0.0.1:6379'], { cwd, env: { SOP_REDIS_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error USAGE: --queue redis://127.0.0.1:6379: on sop worker, --queue is the queue's name (sop run's --queue-name), not the Redis address\n  hint: give the address as --redis: sop worker --redis redis://HOST:6379 [--queue NAME]\n",
    );
  });
});
