import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { binPath, removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `--input NAME=@FILE` (and an IDEA `@FILE`) gives an input FILE's text, as HTTPie's `field=@file`:
 * a long requirement kept in a file. Before, the value was the text `@FILE` itself, silently.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const SPEC = 'A todo app.\nWith due dates.';

function project(): string {
  const dir = tempDir('sop-input-file-');
  writeFileSync(path.join(dir, 'spec.md'), `${SPEC}\n\n`);
  mkdirSync(path.join(dir, 'notes'));
  writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0x61, 0x00, 0x62]));
  return dir;
}

describe('an input read from a file', () => {
  it.each([
    ['--input idea=@spec.md', ['--input', 'idea=@spec.md']],
    ['the IDEA @spec.md', ['@spec.md']],
  ])('%s: the prompt holds the file text (trailing line ends dropped), and the run records it', async (_, given) => {
    const dir = project();
    const shown = await sop(['prompts', SOP, ...given], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Answer the question: ${SPEC}\n`);
    expect(shown.stdout).not.toContain('@spec.md');

    const ran = await sop(['run', SOP, ...given, '--json'], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = (envelopeOf(ran) as { result: { runId: string } }).result;
    // The command that runs it again gives the file, not its text (a long hint, the file's text in CI logs).
    const again = await sop(['resume', runId], { cwd: dir });
    expect(again.stderr).toContain(`start a new run with \`sop run ${SOP} --input idea=@spec.md\``);
  });

  it('@@ starts a value with a literal @', async () => {
    const shown = await sop(['prompts', SOP, '--input', 'idea=@@team: is this right?'], { cwd: project() });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Answer the question: @team: is this right?\n');
  });

  it('a secret read from a file: its value is in no output or record; the command that runs it again gives the file', async () => {
    const dir = project();
    const secret = 'sk-test-7d1f0c9a4b2e';
    writeFileSync(path.join(dir, 'keyed.yaml'), readFileSync(SOP, 'utf8').replace('messages:', 'inputs:\n  idea: { type: string }\n  api_key: { type: string }\nmessages:'));
    writeFileSync(path.join(dir, 'my key.txt'), `${secret}\n`);
    const ran = await sop(['run', 'keyed.yaml', '@spec.md', '--input', 'api_key=@my key.txt', '--json'], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = (envelopeOf(ran) as { result: { runId: string } }).result;
    const again = await sop(['resume', runId], { cwd: dir });
    expect(again.stderr).toContain("start a new run with `sop run keyed.yaml --input idea=@spec.md --input api_key='@my key.txt'`");
    const runs = await sop(['runs', '--json'], { cwd: dir });
    for (const output of [ran.stdout, ran.stderr, again.stdout, again.stderr, runs.stdout, runs.stderr]) expect(output).not.toContain(secret);
    for (const file of readdirSync(path.join(dir, '.sop'), { recursive: true, encoding: 'utf8' })) {
      const where = path.join(dir, '.sop', file);
      if (statSync(where).isFile()) expect(readFileSync(where, 'utf8'), file).not.toContain(secret);
    }
  });

  it('@/dev/stdin piped: the command that runs it again gives the text read, not the pipe', async () => {
    const dir = project();
    const env = { ...process.env, NODE_ENV: 'production', VITEST: undefined, VITEST_WORKER_ID: undefined, NODE: process.execPath, SOP_BIN: binPath, SOP_FILE: SOP };
    const ran = spawnSync('sh', ['-c', 'printf "from a pipe\\n" | "$NODE" "$SOP_BIN" run "$SOP_FILE" @/dev/stdin --json'], { cwd: dir, env, encoding: 'utf8' });
    expect(ran.status, ran.stderr).toBe(0);
    const { runId } = (JSON.parse(ran.stdout) as { result: { runId: string } }).result;
    const again = await sop(['resume', runId], { cwd: dir });
    expect(again.stderr).toContain("--input idea='from a pipe'");
  });

  it('a refused run\'s hint gives each input as typed: @FILE, not the file\'s text; @@ kept', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'two.yaml'), readFileSync(SOP, 'utf8').replace('messages:', 'inputs:\n  topic: { type: string }\n  notes: { type: string }\nmessages:').replace('inputs.idea', 'inputs.topic'));
    const cases: Array<[string[], string]> = [
      [['--input', 'notes=@spec.md'], 'sop run two.yaml --input notes=@spec.md --input topic=<string>'],
      [['owls', '--input', 'notes=@spec.md'], 'sop run two.yaml --input notes=@spec.md --input topic=owls'],
      [['owls', '--input', 'notes=@@x'], 'sop run two.yaml --input notes=@@x --input topic=owls'],
      [['--input', 'topic=@@a', '--input', 'nots=@spec.md'], 'sop run two.yaml --input topic=@@a --input notes=@spec.md'],
    ];
    for (const [given, hinted] of cases) {
      const result = await sop(['run', 'two.yaml', ...given], { cwd: dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr, given.join(' ')).toContain(`${hinted}\n`);
    }
  });

  it('a value that starts with @ is typed back as @@ in the command that runs it again (a bare @ would read a file)', async () => {
    const dir = project();
    const ran = await sop(['run', SOP, '@@spec.md', '--json'], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = (envelopeOf(ran) as { result: { runId: string } }).result;
    const again = await sop(['resume', runId], { cwd: dir });
    expect(again.stderr).toContain('--input idea=@@spec.md');
  });

  it.each([
    ['nope.md', 'cannot read nope.md: no such file'],
    ['notes', 'cannot read notes: it is a folder'],
    ['binary.txt', 'cannot read binary.txt: it holds binary data (a NUL byte), not text'],
    ['', 'cannot read "": no file named after the @'],
  ])('@%j that is no readable text file: one message, exit 2, nothing recorded', async (file, why) => {
    const dir = project();
    const result = await sop(['run', SOP, '--input', `idea=@${file}`], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`error INPUT_FILE_INVALID: input "idea": ${why}\n`);
    expect(result.stderr).toContain('hint: --input idea=@FILE reads the value from FILE, relative to the folder sop runs in; for a value that starts with @, write @@');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(dir, '.sop', 'runs'))).toBe(false);
  });
});
