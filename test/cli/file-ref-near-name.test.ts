import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `prompt: { file: prompts/write-post.liquid }` beside `prompts/write_post.liquid`: the error said
 * where the file was expected, and the user compared the two names letter by letter.
 */
const SOP = (promptFile: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
messages:
  Topic: {}
  Post: {}
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
stop_when: { type: Post }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write_post, prompt: { file: ${promptFile} }, output: { type: Post, format: markdown } }
`;

afterAll(removeTempDirs);

async function validate(promptFile: string): Promise<{ code: number; stdout: string }> {
  const cwd = tempDir('sop-file-ref-near-');
  mkdirSync(path.join(cwd, 'prompts'));
  writeFileSync(path.join(cwd, 'prompts', 'write_post.liquid'), 'Write about {{ message.content }}\n');
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP(promptFile));
  const result = await sop(['validate', 'sop.yaml'], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('sop validate: a referenced file that does not exist, beside one with a near name', () => {
  it('names the near file in the hint', async () => {
    const result = await validate('prompts/write-post.liquid');
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('sop.yaml:14:43: error FILE_REF_NOT_FOUND: referenced file `prompts/write-post.liquid` does not exist');
    expect(result.stdout).toContain("hint: did you mean `prompts/write_post.liquid`? expected it at prompts/write-post.liquid (paths are relative to the SOP's folder)");
  });

  it('names the file in the folder of a near name when the folder written does not exist', async () => {
    const result = await validate('prompt/write_post.liquid');
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain("hint: did you mean `prompts/write_post.liquid`? expected it at prompt/write_post.liquid (paths are relative to the SOP's folder)");
  });

  it('a name near nothing, or a folder that does not exist, keeps the plain hint', async () => {
    for (const file of ['prompts/outline.liquid', 'templates/write_post.liquid']) {
      const result = await validate(file);
      expect(result.code, result.stdout).toBe(3);
      expect(result.stdout).toContain(`hint: expected it at ${file} (paths are relative to the SOP's folder)`);
      expect(result.stdout).not.toContain('did you mean');
    }
  });
});
