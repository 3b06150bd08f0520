import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A `--input` that is not NAME=VALUE may be a secret typed in the wrong form (`--input API_KEY`
 * meant as the key itself, `--input TOKEN:abc123`): its error lands in terminal and CI logs, so it
 * names the problem and the form expected and shows at most the name part, never a value.
 */
const SECRET = 'sk-live-4f9a8b7c6d5e';

let cwd: string;
beforeAll(() => {
  cwd = tempDir('sop-input-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: inputs, version: 0.1.0, requires: ">=0.2 <1" }',
      'inputs:',
      '  topic: { type: string }',
      '  audience: { type: string, default: engineers }',
      'messages:',
      '  Topic: {}',
      'start:',
      '  - { type: Topic, content: "{{ inputs.topic }} for {{ inputs.audience }}" }',
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
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result.stderr;
}

describe('a malformed --input is refused without echoing its value', () => {
  it('no `=` at all: the text is not shown (it may be the secret itself), the form and the SOP\'s inputs are', async () => {
    for (const command of [['run', 'sop.yaml'], ['prompts', 'sop.yaml']]) {
      const stderr = await refused([...command, '--input', SECRET]);
      expect(stderr).toBe('error USAGE: --input is not NAME=VALUE: it has no `=` (its text is not shown: it may be a value)\n  hint: write --input NAME=VALUE; this SOP\'s inputs: audience, topic\n');
    }
  });

  it('NAME:VALUE: the name part only; the value never, in the text or in --json', async () => {
    const stderr = await refused(['run', 'sop.yaml', '--input', `TOKEN:${SECRET}`]);
    expect(stderr).toBe('error USAGE: --input "TOKEN:..." is not NAME=VALUE: a `:` does not separate the name from the value (the value is not shown)\n  hint: write --input TOKEN=VALUE; this SOP\'s inputs: audience, topic\n');

    const json = await sop(['run', 'sop.yaml', '--input', 'topic=tides', '--input', `TOKEN:${SECRET}`, '--json'], { cwd });
    expect(json.code).toBe(2);
    expect(json.stdout + json.stderr).not.toContain(SECRET);
    expect(JSON.parse(json.stdout).error.message).toBe('--input (the 2nd) "TOKEN:..." is not NAME=VALUE: a `:` does not separate the name from the value (the value is not shown)');
  });

  it('a long name part is cut at 40 characters; an empty name before `=` shows nothing of the value', async () => {
    const long = `${'x'.repeat(60)}${SECRET}`;
    const stderr = await refused(['run', 'sop.yaml', '--input', `${long}:more`]);
    expect(stderr).toContain(`--input "${'x'.repeat(40)}…:..." is not NAME=VALUE`);
    expect(stderr).toContain('hint: write --input NAME=VALUE');
    expect(stderr).not.toContain(SECRET);

    expect(await refused(['run', 'sop.yaml', '--input', `=${SECRET}`])).toBe('error USAGE: --input has no name before its `=` (its value is not shown)\n  hint: write --input NAME=VALUE; this SOP\'s inputs: audience, topic\n');
  });

  it('a declared input given without a value is named: it is a name, not a value', async () => {
    expect(await refused(['run', 'sop.yaml', '--input', 'topic'])).toBe('error USAGE: --input "topic" has no value: expected NAME=VALUE\n  hint: write --input topic=VALUE\n');
  });

  it('an input given twice is refused naming it, neither value shown (the last one was taken silently)', async () => {
    for (const command of [['run', 'sop.yaml'], ['prompts', 'sop.yaml']]) {
      const stderr = await refused([...command, '--input', 'topic=tides', '--input', `topic=${SECRET}`]);
      expect(stderr).toBe('error USAGE: input "topic" was given twice (--input topic=... twice; the values are not shown)\n  hint: give --input topic=VALUE once\n');
    }
  });
});
