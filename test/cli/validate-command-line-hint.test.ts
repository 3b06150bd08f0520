import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A gate's `command:` written as a shell line (`sleep 1 && grep -q ...`, `grep -qi {{ inputs.topic }}
 * draft.md`): the hint wrote it as a list split at every space, `[..., &&, ..., {{, inputs.topic, }}]`,
 * which runs `&&` as an argument (no shell runs a command) and breaks the template. The hint now hands
 * a line using a shell's syntax to `sh -c` (a template as an argument of its own, `"${1}"`) and keeps a
 * template one argument; each hint, followed, gives an SOP whose gate passes (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const BLOG = `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
inputs:
  topic: { description: what to write about }
messages:
  Topic: { description: the topic }
  Draft: { description: the draft }
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_draft
        prompt: "Write a blog post about {{ message.content }}."
        output: { type: Draft, format: markdown }
        artifacts: [{ path: draft.md }]
        gates:
          - name: check
            command: COMMAND
stop_when: { type: Draft }
`;

async function inDir(dir: string, text: string, args: string[]): Promise<CliResult> {
  writeFileSync(path.join(dir, 'blog.yaml'), text);
  const result = await sop(args, { cwd: dir });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

function hintOf(result: CliResult): string {
  return /^ {2}hint: (.*)$/m.exec(result.stdout)?.[1] ?? '';
}

/** The SOP with the gate's command as the hint wrote it, validated and run on the offline model. */
async function followed(dir: string, hint: string): Promise<CliResult> {
  const text = BLOG.replace('command: COMMAND', `command: ${hint.replace('write a mapping: ', '')}`);
  const valid = await inDir(dir, text, ['validate', 'blog.yaml']);
  expect(valid.code, valid.stdout).toBe(0);
  return inDir(dir, text, ['run', 'blog.yaml', '--input', 'topic=tidal power']);
}

describe('sop validate: a gate command written as a shell line', () => {
  it('a line with && is handed to sh -c whole, and the gate it writes runs', async () => {
    const dir = tempDir('sop-command-line-');
    const result = await inDir(dir, BLOG.replace('COMMAND', 'test -s draft.md && grep -q "# Draft" draft.md'), ['validate', 'blog.yaml']);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error SCHEMA_TYPE: expected a mapping, got a string');
    expect(hintOf(result)).toBe('write a mapping: { command: [sh, -c, "test -s draft.md && grep -q \\"# Draft\\" draft.md"] }');
    const run = await followed(dir, hintOf(result));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('write_draft/check 1/1 passed');
  });

  it('a template stays one argument: bare, and out of the shell code when the line needs sh -c', async () => {
    const dir = tempDir('sop-command-line-');
    const plain = await inDir(dir, BLOG.replace('COMMAND', 'grep -qi {{ inputs.topic }} draft.md'), ['validate', 'blog.yaml']);
    expect(plain.code, plain.stdout).toBe(3);
    expect(hintOf(plain)).toBe('write a mapping: { command: [grep, -qi, "{{ inputs.topic }}", draft.md] }');
    expect((await followed(dir, hintOf(plain))).stderr).toContain('write_draft/check 1/1 passed');

    const shell = await inDir(dir, BLOG.replace('COMMAND', 'test -s draft.md && grep -qi {{ inputs.topic }} draft.md'), ['validate', 'blog.yaml']);
    expect(shell.code, shell.stdout).toBe(3);
    expect(hintOf(shell)).toBe('write a mapping: { command: [sh, -c, "test -s draft.md && grep -qi \\"${1}\\" draft.md", sh, "{{ inputs.topic }}"] }');
    expect((await followed(dir, hintOf(shell))).stderr).toContain('write_draft/check 1/1 passed');
  });
});
