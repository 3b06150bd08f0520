import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/** `Feedback` is declared and used nowhere; `Escalation` is only a gate's route (watched), `Reply` published and stopped on. */
const FIXTURE = 'test/fixtures/validate/message-type-unused.yaml';
const MESSAGE = 'message type `Feedback` is declared but never used: nothing publishes it, no role watches it and `stop_when` does not name it';
const HINT = 'remove `Feedback` from `messages:` if it is left over, or publish it from an action and add it to a role\'s `watch`';

describe('sop validate on a message type declared but never used', () => {
  it('warns at its declaration, once, with what to do, and still exits 0', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [
        `${FIXTURE}:10:3: warning MESSAGE_TYPE_UNUSED: ${MESSAGE}`,
        '  expected: an action with `output: { type: Feedback }` (or a start message, or a gate\'s `route: Feedback`) and a role watching `Feedback`',
        `  hint: ${HINT}`,
      ].join('\n'),
    );
    expect(result.stdout.match(/MESSAGE_TYPE_UNUSED/g)).toHaveLength(1);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 1 warning');
  });

  it('--json gives it as a warning with its line, column and pointer; ok stays true', async () => {
    const result = await sop(['validate', FIXTURE, '--json']);
    expect(result.code).toBe(0);
    const envelope = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; result: { files: Array<{ valid: boolean; diagnostics: Array<Record<string, unknown>> }> } };
    expect(envelope.ok).toBe(true);
    expect(envelope.exitCode).toBe(0);
    expect(envelope.result.files[0]?.valid).toBe(true);
    expect(envelope.result.files[0]?.diagnostics).toEqual([
      expect.objectContaining({ code: 'MESSAGE_TYPE_UNUSED', severity: 'warning', message: MESSAGE, line: 10, column: 3, pointer: '/messages/Feedback', hint: HINT }),
    ]);
  });

  it('--format github gives a ::warning annotation at the declaration', async () => {
    const result = await sop(['validate', FIXTURE, '--format', 'github']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`::warning file=${FIXTURE},line=10,col=3,title=MESSAGE_TYPE_UNUSED::${MESSAGE}`);
  });

  it('sop run shows the warning and runs to the end (exit 0)', async () => {
    const cwd = tempDir();
    const result = await sop(['run', path.join(repoRoot, FIXTURE), 'hi', '--model', 'offline'], { cwd });
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain(`warning MESSAGE_TYPE_UNUSED: ${MESSAGE}`);
  });

  it('says nothing of a type only misspelt where it is used: the error names it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'typo.yaml');
    const text = readFileSync(path.join(repoRoot, FIXTURE), 'utf8').replace('watch: [Escalation]', 'watch: [Escalation, Feedbak]');
    writeFileSync(file, text);
    const result = await sop(['validate', file]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('error MESSAGE_TYPE_UNDECLARED: message type `Feedbak` is not declared');
    expect(result.stdout).toContain('hint: did you mean `Feedback`?');
    expect(result.stdout).not.toContain('MESSAGE_TYPE_UNUSED');
  });
});
