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

/**
 * The hints of a refused input give the command to paste with what the user typed kept: the values
 * given, the IDEA under the input it was meant for, a misspelt name corrected; a secret's value is
 * never shown (`NAME=...`).
 */
describe('sop run: a refused input\'s hint keeps what was typed', () => {
  const TWO = sopWith('  topic: { description: What the post is about }\n  words: { type: integer }');
  const ONE = sopWith('  topic: { description: What the post is about }');

  it('an input missing beside one given: the given one is in the command', async () => {
    const result = await run(TWO, '--input', 'topic=tides and moons');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("hint: pass it as a flag: sop run sop.yaml --input topic='tides and moons' --input words=<integer>");
  });

  it('an IDEA for an SOP whose input is named otherwise: the IDEA as that input', async () => {
    const one = await run(ONE, 'tides and moons');
    expect(one.code, one.stderr).toBe(2);
    expect(one.stderr).toContain("error USAGE: an IDEA was given but this SOP has no `idea` input\n  hint: give it as its input `topic`: sop run sop.yaml --input topic='tides and moons'");
    // Two inputs needed: the IDEA as the first, the other to fill in.
    const two = await run(TWO, 'tides');
    expect(two.stderr).toContain('hint: give it as its first input still needed, `topic`, and the others too: sop run sop.yaml --input topic=tides --input words=<integer>');
  });

  it('an unknown --input name: the near input, or for `idea` the one input needed, with the value kept', async () => {
    const near = await run(TWO, '--input', 'topc=tides', '--input', 'words=300');
    expect(near.code, near.stderr).toBe(2);
    expect(near.stderr).toContain('error INPUT_INVALID: unknown input "topc" (did you mean `topic`?); this SOP declares: topic, words\n  hint: pass it as `topic`: sop run sop.yaml --input topic=tides --input words=300');
    const idea = await run(ONE, '--input', 'idea=tides');
    expect(idea.stderr).toContain('hint: pass it as `topic`: sop run sop.yaml --input topic=tides');
    // Nothing near and not the IDEA: no guess.
    const far = await run(ONE, '--input', 'colour=blue');
    expect(far.stderr).toContain('hint: pass declared inputs only, as --input name=value');
  });

  it('an input typed as a flag (--topic x, --idea x): the command with --input', async () => {
    const named = await run(TWO, '--topic', 'tides', '--words=300');
    expect(named.code, named.stderr).toBe(2);
    expect(named.stderr).toContain('error USAGE: unknown flags --topic, --words=300\n  hint: inputs are given as --input NAME=VALUE: sop run sop.yaml --input topic=tides --input words=300');
    const idea = await run(ONE, '--idea', 'tides and moons');
    expect(idea.stderr).toContain("hint: inputs are given as --input NAME=VALUE: sop run sop.yaml --input topic='tides and moons'");
  });

  it('a secret-named input\'s value is never in the hint', async () => {
    const result = await run(sopWith('  topic: {}\n  api_token: {}'), '--input', 'topic=tides', '--input', 'api_tokn=sk-very-secret');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('hint: pass it as `api_token`: sop run sop.yaml --input topic=tides --input api_token=...');
    expect(result.stderr).not.toContain('sk-very-secret');
  });

  it('an input given by its name whose alias is a secret\'s: its value is not in the IDEA hint', async () => {
    const result = await run(sopWith('  topic: {}\n  pin: { aliases: [api_key] }'), '--input', 'pin=sk-very-secret', 'tides');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('hint: give it as its input `topic`: sop run sop.yaml --input pin=... --input topic=tides');
    expect(result.stderr).not.toContain('sk-very-secret');
  });
});
