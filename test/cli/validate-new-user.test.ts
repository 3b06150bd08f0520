import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/** SOPs of a new user's pass over `sop validate` (see the folder's README), each with one thing wrong. */
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'validate', 'new-user');

async function validate(file: string): Promise<CliResult> {
  const result = await sop(['validate', file], { cwd: fixtures });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('sop validate: what a new user\'s SOPs passed, and the run then failed on', () => {
  it('partials that render each other with no condition on the way: an error at the include, not a failed run', async () => {
    const result = await validate('partials-cycle.yaml');
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('inc-a.liquid:1:14: error TEMPLATE_SYNTAX: {% render %}: partials include each other without end: inc-b.liquid → inc-a.liquid → inc-b.liquid (no condition on the way)');
    expect(result.stdout).toContain('hint: a partial that includes itself, directly or through others, must stop on a condition ({% if %})');
  });

  it('`{{ payload.title }}` in an artifact of a `format: markdown` output: an error at the template, not an empty file', async () => {
    const result = await validate('payload-of-markdown.yaml');
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('payload-of-markdown.yaml:41:44: error TEMPLATE_VARIABLE_UNKNOWN: `payload.title`: the output of action `write_draft` is `format: markdown`, not JSON: it has no payload');
    expect(result.stdout).toContain('hint: write the whole text with `{{ output }}`, or make the output `format: json` with a `schema` on message type `Draft`');
  });

  // A warning, not an error: a run may make the folder first (`cwd: out` with `--workspace out`).
  it('an MCP server whose `cwd` does not exist: a warning at `cwd`, where the run failed with "spawn node ENOENT"', async () => {
    const result = await validate('mcp-cwd-missing.yaml');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('mcp-cwd-missing.yaml:8:10: warning MCP_CWD_MISSING: MCP server `files`: working folder `servers/files` does not exist: the run cannot start the server unless the folder is made first');
    expect(result.stdout).toContain("hint: create servers/files, or correct `cwd` (it starts from the SOP's folder)");
  });
});

/** An error that explains a misspelled name was followed by warnings about that name, false once it is fixed. */
describe('sop validate: a misspelled name gets its error and "did you mean" once, no warnings it causes', () => {
  it.each([
    ['watch-typo.yaml', '46:13: error MESSAGE_TYPE_UNDECLARED: message type `Draf` is not declared', 'did you mean `Draft`?'],
    ['to-typo.yaml', '39:15: error ADDRESS_UNKNOWN: `to: reviwer` names no role', 'did you mean `reviewer`?'],
    ['stop-when-typo.yaml', '58:9: error MESSAGE_TYPE_UNDECLARED: message type `Reviw` is not declared', 'did you mean `Review`?'],
  ])('%s', async (file, error, suggestion) => {
    const result = await validate(file);
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain(`${file}:${error}`);
    expect(result.stdout.split(suggestion)).toHaveLength(2);
    expect(result.stdout).not.toMatch(/ warning [A-Z_]+:/);
    expect(result.stdout).toContain('1 file: 0 valid, 1 invalid, 1 error, 0 warnings');
  });
});

describe('sop validate: small gaps', () => {
  it('an empty prompt file: a warning at `file:`', async () => {
    const result = await validate('empty-prompt.yaml');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('empty-prompt.yaml:36:17: warning PROMPT_EMPTY: action `write_draft`: the prompt file `prompts/empty.liquid` is empty');
    expect(result.stdout).toContain('hint: write what the model should do in the file; some providers refuse an empty user message');
  });

  // A declared tool's call stops at the lesser of the two (src/tools/declared-tools.ts).
  it('a tool `timeout` above `settings.tools.timeout`: a warning that it never applies', async () => {
    const result = await validate('tool-timeout-capped.yaml');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('tool-timeout-capped.yaml:19:62: warning TOOL_TIMEOUT_CAPPED: tool `snooze`: `timeout: 10` never applies: `settings.tools.timeout` stops every tool call after 2 s');
    expect(result.stdout).toContain('hint: raise `settings.tools.timeout` to 10 (it caps every tool), or lower this `timeout`');
  });

  it('`format: md`: did you mean `markdown`?', async () => {
    const result = await validate('format-md.yaml');
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('format-md.yaml:39:19: error SCHEMA_ENUM: `md` is not allowed here');
    expect(result.stdout).toContain('hint: did you mean `markdown`?');
  });
});

/** `version: 1.0` is read as a number; the hint named "1.0", which the version's pattern refused next. */
describe('sop validate: a metadata.version that is not semver', () => {
  const sopWith = (version: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: ${version} }
messages:
  Idea: { description: the idea }
  Notes: { description: the notes }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Notes on {{ message.content }}", output: { type: Notes } }
stop_when: { type: Notes }
`;

  it.each([
    ['1.0', 'error SCHEMA_TYPE: expected a string', 'hint: write "1.0.0"'],
    ['2', 'error SCHEMA_TYPE: expected a string', 'hint: write "2.0.0"'],
    ['"1.2"', 'error SCHEMA_PATTERN: `1.2` is not a valid version', 'hint: write `1.2.0`'],
    ['v1.2.3', 'error SCHEMA_PATTERN: `v1.2.3` is not a valid version', 'hint: write `1.2.3`'],
  ])('version: %s names the semver it means', async (version, error, hint) => {
    const cwd = tempDir('sop-version-');
    writeFileSync(path.join(cwd, 'notes.yaml'), sopWith(version));
    const result = await sop(['validate', 'notes.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain(`notes.yaml:3:35: ${error}`);
    expect(result.stdout).toContain(hint);
    expect(result.stdout).not.toContain('quote the value');
    writeFileSync(path.join(cwd, 'notes.yaml'), sopWith(/"(.*)"/.exec(hint)?.[1] ?? /`(.*)`/.exec(hint)?.[1] ?? ''));
    const fixed = await sop(['validate', 'notes.yaml'], { cwd });
    expect(fixed.code, fixed.stdout).toBe(0);
  });
});
