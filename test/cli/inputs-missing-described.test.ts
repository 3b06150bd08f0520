import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * An input's `description` is documented as "shown in `sop run --help`-style listings and errors",
 * but no error showed it, and with two required inputs missing `sop run` refused the first, then
 * (once given) the second: a new user learnt the inputs one refusal at a time.
 */
const sopWith = (inputs: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
inputs:
${inputs}
messages:
  Topic: {}
  Post: {}
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
stop_when: { type: Post }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Post, format: markdown } }
`;

afterAll(removeTempDirs);

async function run(sopText: string, ...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const cwd = tempDir('sop-inputs-missing-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopText);
  const result = await sop(['run', 'sop.yaml', ...args], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('sop run: missing inputs are named all at once, with their descriptions', () => {
  it('one missing input: its description after the message', async () => {
    const result = await run(sopWith('  topic: { description: What the post is about }\n  tone: { default: plain }'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: input "topic" (string) is required: What the post is about\n  hint: pass it as a flag: sop run sop.yaml --input topic=<string>');
  });

  it('two missing inputs: one refusal naming both, and a hint giving both flags', async () => {
    const result = await run(sopWith('  topic: { description: What the post is about }\n  words: { type: integer, description: How long the post is }'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: 2 inputs are required: "topic" (string): What the post is about; "words" (integer): How long the post is');
    expect(result.stderr).toContain('hint: pass them as flags: sop run sop.yaml --input topic=<string> --input words=<integer>');
  });

  it('the idea and another input missing: the hint puts the idea after the file', async () => {
    const result = await run(sopWith('  idea: { description: The topic }\n  words: { type: integer }').replace('inputs.topic', 'inputs.idea'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: 2 inputs are required: "idea" (string): The topic; "words" (integer)');
    expect(result.stderr).toContain('hint: give the idea after the SOP file, and the rest as flags: sop run sop.yaml "the idea" --input words=<integer>');
  });

  it('given, the run goes on', async () => {
    const result = await run(sopWith('  topic: { description: What the post is about }\n  words: { type: integer }'), '--input', 'topic=tides', '--input', 'words=300');
    expect(result.code, result.stderr).toBe(0);
  });
});
