import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A typed input given a value it refuses (`--input count=abc`, a value outside `enum`): the error
 * lands in terminal and CI logs, so it names the input and what it expects, shows the value cut
 * short, and never shows the value of an input named like a secret (`api_token`, `*_key`), in
 * `sop run`, `sop test` (a case's inputs) and `sop eval` (a dataset row).
 */
const SECRET = 'sk-live-4f9a8b7c6d5e0011';
const LONG = `${'x'.repeat(40)}${'y'.repeat(160)}`;

let cwd: string;
beforeAll(() => {
  cwd = tempDir('sop-input-value-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: inputs, version: 0.1.0, requires: ">=0.2 <1" }',
      'inputs:',
      '  idea: { type: string }',
      '  count: { type: integer, default: 1 }',
      '  mode: { type: string, enum: [fast, slow], default: fast }',
      '  api_token: { type: integer, default: 1 }',
      '  region: { type: string, enum: [eu, us], default: eu, aliases: [github_key] }',
      '  db_password: { type: integer, default: 1 }',
      'messages:',
      '  Topic: {}',
      'start:',
      '  - { type: Topic, content: "{{ inputs.idea }}" }',
      'roles:',
      '  writer:',
      '    profile: Writer',
      '    watch: [Topic]',
      '    actions:',
      '      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Topic } }',
      'stop_when: { type: Topic }',
      '',
    ].join('\n'),
  );
});

async function refused(args: string[]): Promise<string> {
  const result = await sop(args, { cwd });
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result.stderr;
}

describe('sop run: a refused input value', () => {
  it('of an input named like a secret is never shown, by its name or an alias, in the text or in --json', async () => {
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', `api_token=${SECRET}`])).toBe(
      'error INPUT_INVALID: input "api_token" must be an integer (the value given is not shown: it is a secret)\n  hint: pass --input api_token=<integer>\n',
    );
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', `github_key=${SECRET}`])).toBe(
      'error INPUT_INVALID: input "region" must be one of "eu", "us" (the value given is not shown: it is a secret)\n  hint: pass --input region=eu\n',
    );
    // A password (or a secret, credentials).
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', `db_password=${SECRET}`])).toBe(
      'error INPUT_INVALID: input "db_password" must be an integer (the value given is not shown: it is a secret)\n  hint: pass --input db_password=<integer>\n',
    );
    const json = await sop(['run', 'sop.yaml', 'hi', '--input', `api_token=${SECRET}`, '--json'], { cwd });
    expect(json.stdout + json.stderr).not.toContain(SECRET);
    expect(envelopeOf(json)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'INPUT_INVALID' } });
  });

  it('of another input is shown, cut at 40 characters', async () => {
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', 'count=abc'])).toBe('error INPUT_INVALID: input "count" must be an integer, got "abc"\n  hint: pass --input count=<integer>\n');
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', `mode=${LONG}`])).toBe(`error INPUT_INVALID: input "mode" must be one of "fast", "slow", got "${'x'.repeat(40)}"… (200 characters)\n  hint: pass --input mode=fast\n`);
    // The allowed value meant: the same but for case, else the nearest.
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', 'mode=Slow'])).toBe('error INPUT_INVALID: input "mode" must be one of "fast", "slow", got "Slow"\n  hint: pass --input mode=slow\n');
    expect(await refused(['run', 'sop.yaml', 'hi', '--input', 'mode=fats'])).toBe('error INPUT_INVALID: input "mode" must be one of "fast", "slow", got "fats"\n  hint: pass --input mode=fast\n');
  });

  it('outside a numeric enum: the hint names the nearest allowed number, not the first (examples/debate)', async () => {
    // `--input exchanges=9` was told `pass --input exchanges=1`.
    const debate = path.join(repoRoot, 'examples', 'debate', 'sop.yaml');
    const tooMany = await sop(['run', debate, 'This house would ban homework', '--input', 'exchanges=9'], { cwd });
    expect(tooMany.code, tooMany.stderr).toBe(2);
    expect(tooMany.stderr).toBe('error INPUT_INVALID: input "exchanges" must be one of 1, 2, 3, 4, 5, got 9\n  hint: pass --input exchanges=5\n');
    const none = await sop(['run', debate, 'This house would ban homework', '--input', 'exchanges=0'], { cwd });
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toContain('hint: pass --input exchanges=1\n');
    // A test case's value is told the same number.
    writeFileSync(path.join(cwd, 'debate.test.yaml'), `apiVersion: sop-test/v1\nsop: ${JSON.stringify(debate)}\ncases:\n  - name: long\n    inputs: { motion: homework, exchanges: 9 }\n`);
    const cased = await sop(['test', 'debate.test.yaml'], { cwd });
    expect(cased.code, cased.stdout + cased.stderr).toBe(2);
    expect(cased.stdout + cased.stderr).toMatch(/debate\.test\.yaml:5:44: error INPUT_INVALID: input "exchanges" must be one of 1, 2, 3, 4, 5, got 9.*did you mean 5\?/s);
  });
});

describe('sop test and sop eval: a refused input value', () => {
  it('in a case\'s inputs: the secret is not in the message (nor in the frame), a long value is cut', async () => {
    writeFileSync(path.join(cwd, 'cases.test.yaml'), `apiVersion: sop-test/v1\nsop: sop.yaml\ncases:\n  - name: one\n    inputs: { idea: hi, api_token: ${SECRET} }\n  - name: two\n    inputs: { idea: hi, mode: ${LONG} }\n`);
    const result = await sop(['test', 'cases.test.yaml'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    const output = result.stdout + result.stderr;
    expect(output).toContain('cases.test.yaml:5:36: error INPUT_INVALID: input "api_token" must be an integer (the value given is not shown: it is a secret)');
    expect(output).toContain(`cases.test.yaml:7:31: error INPUT_INVALID: input "mode" must be one of "fast", "slow", got "${'x'.repeat(40)}"… (200 characters)`);
    expect(output).not.toContain(SECRET);
  });

  it('in a dataset row: the failed case names the input without its secret value', async () => {
    writeFileSync(path.join(cwd, 'cases.csv'), `name,idea,api_token\nfirst,hi,${SECRET}\n`);
    const result = await sop(['eval', 'sop.yaml', '--dataset', 'cases.csv', '--quiet'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('cases.csv:2:10: inputs: SCHEMA_TYPE: input "api_token" must be an integer (the value given is not shown: it is a secret): write a value the SOP\'s \`inputs\` declare for it (the run was refused before it started)');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});
