import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A blog team written by someone who knows CrewAI and MetaGPT: their names for things are far in
 * edits from this format's, so no "did you mean" found them. The hints said "remove it" for
 * `agents:` (the whole team) and "write `WritePost`" for `watch: [write_post]` (no such type).
 */
const blogTeam = (roles: string, editorWatch: string, stopType: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
messages:
  Topic: { description: the topic }
  Draft: { description: the draft }
  Edited: { description: the edited post }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
${roles}:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write_post, prompt: "Write about {{ message.content }}", output: { type: Draft, format: markdown } }
  editor:
    profile: Editor
    watch: [${editorWatch}]
    actions:
      - { id: edit_post, prompt: "Edit {{ message.content }}", output: { type: Edited, format: markdown } }
stop_when: { type: ${stopType} }
`;

async function validate(text: string): Promise<CliResult> {
  const cwd = tempDir('sop-frameworks-');
  writeFileSync(path.join(cwd, 'blog.yaml'), text);
  const result = await sop(['validate', 'blog.yaml'], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('sop validate: names from other agent frameworks', () => {
  it('`agents:` is named as `roles`, once: no "remove it", no second error for the missing `roles`', async () => {
    const result = await validate(blogTeam('agents', 'Draft', 'Edited'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:9:1: error SCHEMA_UNKNOWN_FIELD: unknown field `agents`');
    expect(result.stdout).toContain("hint: the team's agents are its `roles` here: rename `agents:` to `roles:` (each role by id)");
    expect(result.stdout).not.toContain('remove it');
    expect(result.stdout).not.toContain('missing required field `roles`');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });

  it('a role\'s `role:`, `backstory:` and `tasks:` say where that goes here', async () => {
    const crewRole = blogTeam('roles', 'Draft', 'Edited')
      .replace('    profile: Writer\n', '    role: Writer\n    backstory: Ten years at a newspaper\n')
      .replace('    profile: Editor\n    watch: [Draft]\n    actions:', '    profile: Editor\n    watch: [Draft]\n    tasks:');
    const result = await validate(crewRole);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:11:5: error SCHEMA_UNKNOWN_FIELD: unknown field `role`');
    expect(result.stdout).toContain('hint: who the role is (its title) is its `profile` here: rename `role:` to `profile:`');
    expect(result.stdout).toContain('blog.yaml:12:5: error SCHEMA_UNKNOWN_FIELD: unknown field `backstory`');
    expect(result.stdout).toContain('hint: there is no `backstory`: say who the role is in `profile` and how it works in `constraints` (both go into its system prompt)');
    expect(result.stdout).toContain('blog.yaml:19:5: error SCHEMA_UNKNOWN_FIELD: unknown field `tasks`');
    expect(result.stdout).toContain("hint: a role's tasks are its `actions` here: rename `tasks:` to `actions:`");
    expect(result.stdout).not.toContain('remove it');
    expect(result.stdout).not.toContain('missing required field');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 3 errors, 0 warnings');
  });

  it('a CrewAI agent\'s `tools:` and a task\'s `human_input: true` say they go on an action (a `tools` list, a `human` gate)', async () => {
    const crew = blogTeam('roles', 'Draft', 'Edited')
      .replace('    profile: Writer\n', '    profile: Writer\n    tools: [fs.read]\n')
      .replace('output: { type: Edited, format: markdown } }', 'output: { type: Edited, format: markdown }, human_input: true }');
    const result = await validate(crew);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:12:5: error SCHEMA_UNKNOWN_FIELD: unknown field `tools`');
    expect(result.stdout).toContain('hint: tools are offered per action here: move `tools: [...]` to each action of the role that uses them (`actions: [{ id: ..., tools: [...] }]`)');
    expect(result.stdout).toMatch(/blog\.yaml:20:108: error SCHEMA_UNKNOWN_FIELD: unknown field `human_input`/);
    expect(result.stdout).toContain('hint: a person reviews an action\'s output through a `human` gate: write `gates: [{ name: approved, human: { prompt: "Approve this?" } }]` (asked on a terminal; in CI the run pauses, exit 8, until `sop resume RUN --approve` or `--reject "..."`)');
    expect(result.stdout).not.toContain('remove it');
  });

  it('the rest of a CrewAI crew (`process`, `verbose`, `allow_delegation`, `max_iter`, a task\'s `context` and `async_execution`) each say what stands for it here', async () => {
    const crew = `process: sequential\nverbose: true\n${blogTeam('roles', 'Draft', 'Edited')}`
      .replace('    profile: Writer\n', '    profile: Writer\n    allow_delegation: false\n')
      .replace('output: { type: Edited, format: markdown } }', 'output: { type: Edited, format: markdown }, context: [write_post], async_execution: true, max_iter: 3 }');
    const result = await validate(crew);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:1:1: error SCHEMA_UNKNOWN_FIELD: unknown field `process`');
    expect(result.stdout).toContain("hint: there is no `process`: the order comes from who watches what (each role's `watch` lists the message types it acts on; a sequential crew is a chain, each role watching the type the one before outputs)");
    expect(result.stdout).toContain('hint: there is no `verbose`: `sop run` prints a line per action on stderr');
    expect(result.stdout).toContain("hint: a role hands work to another by publishing a message type that role watches (an action's `output: { type: T, to: ROLE }`)");
    expect(result.stdout).toContain("hint: an action is given the message that triggered it (`message`); another action's output reaches it as a message type its role `watch`es");
    expect(result.stdout).toContain('hint: actions of roles triggered in the same round run at once');
    expect(result.stdout).toContain("hint: the bound of an action's tool-calling loop is its `max_tool_calls`: rename `max_iter:` to `max_tool_calls:`");
    expect(result.stdout).not.toContain('remove it');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 6 errors, 0 warnings');
  });

  it('`watch: [write_post]` (MetaGPT watches actions) names the type the action outputs, not `WritePost`', async () => {
    const result = await validate(blogTeam('roles', 'write_post', 'Edited'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:17:13: error SCHEMA_PATTERN: `write_post` is not a valid message type');
    expect(result.stdout).toContain('hint: `write_post` is an action (of role `writer`), not a message type: write `Draft`, the type it outputs');
    expect(result.stdout).not.toContain('WritePost');
  });

  it('a role id where a message type goes names the types the role publishes', async () => {
    const result = await validate(blogTeam('roles', 'writer', 'editor'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:17:13: error SCHEMA_PATTERN: `writer` is not a valid message type');
    expect(result.stdout).toContain('hint: `writer` is a role, not a message type: write `Draft`, what it publishes');
    expect(result.stdout).toContain('blog.yaml:20:20: error SCHEMA_PATTERN: `editor` is not a valid message type');
    expect(result.stdout).toContain('hint: `editor` is a role, not a message type: write `Edited`, what it publishes');
    expect(result.stdout).not.toMatch(/write `(Writer|Editor)`/);
  });

  // MetaGPT's `_watch([WritePRD])` names action classes: valid type names that no one declares.
  it('`watch: [WritePost]` names the action `write_post` and its type, with no warnings the mistake causes', async () => {
    const result = await validate(blogTeam('roles', 'WritePost', 'Edited'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:17:13: error MESSAGE_TYPE_UNDECLARED: message type `WritePost` is not declared');
    expect(result.stdout).toContain('hint: `WritePost` names the action `write_post` (of role `writer`), not a message type: write `Draft`, the type it outputs');
    expect(result.stdout).not.toContain('declare it under');
    // "`Draft` is watched by no other role", "role `editor` never acts": false once the type is fixed.
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });

  it('`stop_when: { type: Editor }` names the role `editor` and what it publishes', async () => {
    const result = await validate(blogTeam('roles', 'Draft', 'Editor'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('blog.yaml:20:20: error MESSAGE_TYPE_UNDECLARED: message type `Editor` is not declared');
    expect(result.stdout).toContain('hint: `Editor` names the role `editor`, not a message type: write `Edited`, what it publishes');
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });

  it('a lowercase type that is no action or role keeps its PascalCase hint', async () => {
    const result = await validate(blogTeam('roles', 'draft', 'Edited'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('hint: write `Draft`');
  });
});
