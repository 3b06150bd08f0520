import { Config, Errors } from '@oclif/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SopCommand } from '../../src/cli/base-command.js';
import { SopError } from '../../src/errors/index.js';
import { STACK_LINE, repoRoot } from './run-cli.js';

/** The shared error policy, driven through real oclif commands whose run() throws. */
class Boom extends SopCommand {
  static override id = 'boom';
  static thrown: unknown;
  async run(): Promise<void> {
    await this.parse(Boom);
    throw Boom.thrown;
  }
}

let config: Config;
beforeAll(async () => {
  config = await Config.load({ root: repoRoot, userPlugins: false, devPlugins: false });
});
afterEach(() => vi.restoreAllMocks());

async function runBoom(thrown: unknown, argv: string[] = []): Promise<{ exit: number | undefined; stderr: string; stdout: string }> {
  Boom.thrown = thrown;
  let stderr = '';
  let stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await Boom.run(argv, config);
  } catch (error) {
    if (error instanceof Errors.ExitError) return { exit: error.oclif.exit, stderr, stdout };
    throw error;
  }
  return { exit: undefined, stderr, stdout };
}

describe('SopCommand error policy', () => {
  it('a bug: one "internal error" line, exit 1, no stack', async () => {
    const { exit, stderr } = await runBoom(new TypeError('cannot read x of undefined'));
    expect(exit).toBe(1);
    expect(stderr).toBe('internal error: cannot read x of undefined (rerun with --debug for the stack)\n');
  });

  it('a bug with --debug: the stack too', async () => {
    const { exit, stderr } = await runBoom(new TypeError('cannot read x of undefined'), ['--debug']);
    expect(exit).toBe(1);
    expect(stderr).toMatch(STACK_LINE);
  });

  it('a SopError: its message and hint, its exit code, no stack', async () => {
    const { exit, stderr } = await runBoom(new SopError('RUN_NOT_FOUND', 'no run 2024-x', { hint: 'list runs with `sop runs`' }));
    expect(exit).toBe(2);
    expect(stderr).toBe('error RUN_NOT_FOUND: no run 2024-x\n  hint: list runs with `sop runs`\n');
  });

  it('a SopError with diagnostics: each as file:line:col with expected and hint', async () => {
    const error = SopError.fromDiagnostics([
      { code: 'SCHEMA_TYPE', severity: 'error', message: 'must be a number', file: 'nowhere.yaml', line: 3, column: 9, expected: 'a number', hint: 'drop the quotes' },
    ]);
    const { exit, stderr } = await runBoom(error);
    expect(exit).toBe(3);
    expect(stderr).toBe('nowhere.yaml:3:9: error SCHEMA_TYPE: must be a number\n  expected: a number\n  hint: drop the quotes\n');
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('a bug with --json: the INTERNAL envelope on stdout (no stack in it), the line on stderr, exit 1', async () => {
    const { exit, stderr, stdout } = await runBoom(new TypeError('cannot read x of undefined'), ['--json']);
    expect(exit).toBe(1);
    expect(stderr).toBe('internal error: cannot read x of undefined (rerun with --debug for the stack)\n');
    expect(JSON.parse(stdout)).toEqual({
      schemaVersion: 1,
      command: 'boom',
      ok: false,
      exitCode: 1,
      error: { code: 'INTERNAL', exitCode: 1, message: 'cannot read x of undefined', hint: expect.stringContaining('--debug') },
      warnings: [],
    });
    expect(stdout).not.toMatch(STACK_LINE);
  });
});
