import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * Text written where a mapping goes, the way one says it: `stop_when: Edited`, `human: Publish this
 * post?`. Both were "expected a mapping ..., got a string" with no hint (the first has two forms, the
 * second no required field, so the hint that writes `{ field: text }` said nothing). Each hint,
 * followed, gives a valid SOP (the real CLI).
 */
afterAll(removeTempDirs);

const BLOG = `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
messages:
  Topic: { description: the topic }
  Edited: { description: the post }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  editor:
    profile: Editor
    watch: [Topic]
    actions:
      - id: edit
        prompt: "Edit a post about {{ message.content }}."
        output: { type: Edited, format: markdown }
        gates:
          - human: { prompt: Publish this post? }
stop_when: { type: Edited }
`;

async function validate(text: string): Promise<CliResult> {
  const dir = tempDir('sop-text-mapping-');
  writeFileSync(path.join(dir, 'blog.yaml'), text);
  const result = await sop(['validate', 'blog.yaml'], { cwd: dir });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

function hintOf(result: CliResult): string {
  return /^ {2}hint: (.*)$/m.exec(result.stdout)?.[1] ?? '';
}

describe('sop validate: text where a mapping goes', () => {
  it('is valid as written', async () => {
    expect((await validate(BLOG)).code).toBe(0);
  });

  it('`stop_when: Edited` (a condition or a list of them): the hint writes the condition', async () => {
    const result = await validate(BLOG.replace('stop_when: { type: Edited }', 'stop_when: Edited'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:18:12: error SCHEMA_TYPE: expected a condition { type, if } or a list of conditions { type, if }, got a string (`Edited`)');
    expect(hintOf(result)).toBe('write a mapping: { type: Edited }');
    expect((await validate(BLOG.replace('stop_when: { type: Edited }', `stop_when: ${hintOf(result).replace('write a mapping: ', '')}`))).code).toBe(0);
  });

  it('`human: Publish this post?` (no field required): the hint puts the text in its first field, the prompt', async () => {
    const result = await validate(BLOG.replace('human: { prompt: Publish this post? }', 'human: Publish this post?'));
    expect(result.code, result.stdout).toBe(3);
    expect(hintOf(result)).toBe('write a mapping: { prompt: Publish this post? }');
    expect((await validate(BLOG.replace('human: { prompt: Publish this post? }', `human: ${hintOf(result).replace('write a mapping: ', '')}`))).code).toBe(0);
  });

  it('a text the first field may not take as it is (a word list) gets no guessed mapping', async () => {
    const result = await validate(BLOG.replace('    watch: [Topic]\n', '    watch: [Topic]\n    memory: last\n'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).not.toContain('write a mapping');
  });
});
