import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A command without its argument says which one, in one line. oclif's own text ran its lines
 * together ("Missing 1 required arg: run  Run id ....: Note: --model, --provider, ... allow multiple
 * values ...") and appended that note on every flag taking several values, given or not: `sop
 * resume` listed the very flags it refuses. The note stays, as a hint, when such a flag was given.
 */
describe('a missing argument', () => {
  it.each([
    [['resume'], 'error USAGE: missing argument RUN: run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder', 'see `sop resume --help`'],
    [['run'], 'error USAGE: missing argument FILE: SOP file', 'see `sop run --help`'],
    [['validate'], 'error USAGE: missing argument FILE: SOP file(s) to check', 'see `sop validate --help`'],
  ])('sop %j names it, exit 2', async (args, message, hint) => {
    const result = await sop(args, { cwd: tempDir('sop-missing-arg-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n  hint: ${hint}\n`);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('after a flag that takes several values, the hint says the flag may have taken it', async () => {
    const result = await sop(['run', '--input', 'topic=tea'], { cwd: tempDir('sop-missing-arg-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error USAGE: missing argument FILE: SOP file\n'
      + '  hint: --input takes several values and may have taken the argument: give the arguments before it, or `--` before the arguments (see `sop run --help`)\n');
  });

  it('--json has the same message in its envelope', async () => {
    const result = await sop(['resume', '--json'], { cwd: tempDir('sop-missing-arg-') });
    expect(result.code).toBe(2);
    const envelope = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('USAGE');
    expect(envelope.error.message).toBe('missing argument RUN: run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder');
  });
});
