import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/** A newcomer's blog-post SOP (a writer, an editor, a review gate), broken the ways a newcomer breaks it. */
afterAll(removeTempDirs);

const BLOG = `apiVersion: sop/v1
kind: SOP
metadata: { name: blog-post, version: 0.1.0 }
inputs:
  topic: { description: what the post is about }
messages:
  Topic: { description: the topic }
  Draft: { description: a blog post draft }
  Edited:
    description: the edited post
    schema:
      type: object
      additionalProperties: false
      required: [title, approved]
      properties: { title: { type: string }, approved: { type: boolean } }
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
roles:
  writer:
    profile: Blog writer
    watch: [Topic]
    actions:
      - id: write_post
        prompt: "Write a blog post about {{ message.content }}."
        output: { type: Draft, format: markdown }
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - id: edit_post
        prompt: "Edit this draft:\\n\\n{{ message.content }}"
        output: { type: Edited, format: json }
        gates:
          - { name: approved, assert: payload.approved, on_fail: warn }
stop_when: { type: Edited }
`;

async function validate(text: string): Promise<CliResult> {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'blog.yaml'), text);
  const result = await sop(['validate', 'blog.yaml'], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('a newcomer\'s blog-post SOP', () => {
  it('a message type cut short (`Edit` for `Edited`): did you mean the type it begins', async () => {
    const result = await validate(BLOG.replace('stop_when: { type: Edited }', 'stop_when: { type: Edit }'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error MESSAGE_TYPE_UNDECLARED: message type `Edit` is not declared');
    expect(result.stdout).toContain('hint: did you mean `Edited`?');
  });
});

describe('a newcomer\'s blog-post SOP, its model', () => {
  it('`model:` at the top of the SOP: an unknown field whose hint moves it under `settings:`', async () => {
    const result = await validate(BLOG.replace('inputs:\n', 'model: anthropic:claude-sonnet-4-5\ninputs:\n'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:4:1: error SCHEMA_UNKNOWN_FIELD: unknown field `model`');
    expect(result.stdout).toContain('hint: `model` is a team setting: move it under `settings:` (`settings: { model: ... }`); a role or an action takes its own `model:` too');
  });

  it('`n_round:` at the top of the SOP: moved under `settings:` too', async () => {
    const result = await validate(BLOG.replace('inputs:\n', 'n_round: 4\ninputs:\n'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('hint: `n_round` is a team setting: move it under `settings:` (`settings: { n_round: ... }`)\n');
  });
});

describe('a newcomer\'s blog-post run, the model misspelt', () => {
  it('`--model offlin`: did you mean `offline`, not `ollama:offlin`', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), BLOG);
    const result = await sop(['run', 'blog.yaml', '--input', 'topic=rust', '--model', 'offlin'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error PROVIDER_UNKNOWN: cannot tell which provider serves model `offlin` from --model\n  hint: did you mean `offline`, the built-in model?\n');
  });

  it('`--model gpt4`: did you mean the known model `openai:gpt-4o`, not `ollama:gpt4`', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), BLOG);
    const result = await sop(['run', 'blog.yaml', '--input', 'topic=rust', '--model', 'gpt4'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error PROVIDER_UNKNOWN: cannot tell which provider serves model `gpt4` from --model\n  hint: did you mean `openai:gpt-4o`? Else write `provider:model`, pass --provider');
    expect(result.stderr).not.toContain('ollama:gpt4');
    // `gpt4-mini`, `claude_sonnet_4_5`: written loosely, still the known model.
    for (const [typed, meant] of [['gpt4-mini', 'openai:gpt-4o-mini'], ['claude_sonnet_4_5', 'anthropic:claude-sonnet-4-5']]) {
      const loose = await sop(['run', 'blog.yaml', '--input', 'topic=rust', '--model', typed as string], { cwd });
      expect(loose.stderr).toContain(`hint: did you mean \`${meant}\`?`);
    }
  });

  it("a model the project's sop.config.yaml prices or names is a candidate too, before the built-in ones", async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), BLOG);
    writeFileSync(
      path.join(cwd, 'sop.config.yaml'),
      ['models:', '  fast: openai:gpt-4o-mini', 'providers:', '  acme: { kind: openai, base_url: "http://127.0.0.1:9/v1" }', 'prices:', '  acme:qwen-coder-32b: { input: 0.1, output: 0.2 }', '  acme:gpt-4: { input: 1, output: 2 }', ''].join('\n'),
    );
    for (const [typed, meant] of [['qwencoder32b', 'acme:qwen-coder-32b'], ['fast2', 'fast'], ['gpt4', 'acme:gpt-4']]) {
      const result = await sop(['run', 'blog.yaml', '--input', 'topic=rust', '--model', typed as string], { cwd });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).toContain(`error PROVIDER_UNKNOWN: cannot tell which provider serves model \`${typed}\` from --model\n  hint: did you mean \`${meant}\`? Else write \`provider:model\``);
    }
  });

  it('`--model llama3`: no known model is near, so the name is suggested as a local server\'s model', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), BLOG);
    const result = await sop(['run', 'blog.yaml', '--input', 'topic=rust', '--model', 'llama3'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hint: write `provider:model` (e.g. `ollama:llama3`), pass --provider');
  });
});

describe('a newcomer\'s blog-post test file', () => {
  it('a gate expectation written `name: has-title`, as the SOP names its gate: one error, rename it to `gate:`', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'blog.yaml'), BLOG);
    writeFileSync(path.join(cwd, 'blog.test.yaml'), `apiVersion: sop-test/v1
cases:
  - name: the editor approves
    answers:
      - { role: editor, action: edit_post, output: { title: Lifetimes, approved: true } }
    expect:
      gates:
        - { name: approved, outcomes: [passed] }
`);
    const result = await sop(['test', 'blog.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('blog.test.yaml:8:13: error SCHEMA_UNKNOWN_FIELD: unknown field `name`');
    expect(result.stderr).toContain("hint: a gate expectation names its gate with `gate:` (the SOP's gate `name`): rename `name:` to `gate:`");
    expect(result.stderr).not.toContain('missing required field `gate`');
  });
});
