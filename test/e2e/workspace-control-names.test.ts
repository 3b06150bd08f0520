import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: names, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Done:
    description: where the team wrote
    schema: { type: object, required: [file], properties: { file: { type: string } } }
start: [{ type: Idea, content: go }]
roles:
  writer:
    profile: Writer
    goal: Write files
    watch: [Idea]
    actions:
      - id: write
        prompt: "{{ message.content }}"
        tools: [fs.write]
        output: { type: Done, format: json }
        artifacts:
          - { path: "{{ payload.file }}", content: "x" }
stop_when: { type: Done }
`;

/** Names with line breaks: lines that a CI log reads as GitHub workflow commands, and a forged summary line. */
const SCRIPT = `apiVersion: sop-script/v1
answers:
  - role: writer
    action: write
    tools:
      - { tool: fs.write, args: { path: "t\\n::error file=x::FROM-TOOL\\nexit code: 0", content: "x" } }
    output: { file: "a\\n::error title=x::FROM-ARTIFACT\\nb.txt" }
`;

describe('a file name with a control character', () => {
  it('is refused, shown escaped: no line of the output is the model\'s', async () => {
    const cwd = tempDir('sop-control-names-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'script.yaml'), SCRIPT);
    const result = await sop(['run', 'sop.yaml', 'x', '--model', 'script:script.yaml'], { cwd });
    expect(result.stderr).toContain('tool fs.write failed: artifact path "t\\n::error file=x::FROM-TOOL\\nexit code: 0" contains a control character');
    expect(result.stderr).toMatch(/error WORKSPACE_ESCAPE: artifact path "a\\n::error title=x::FROM-ARTIFACT\\nb\.txt" contains a control character/);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('::') || line === 'exit code: 0')).toEqual([]);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    expect(readdirSync(path.join(cwd, 'workspace', 'names'))).toEqual([]);
  });
});

describe('a file name too long for the file system', () => {
  it('is refused as the model\'s mistake (a tool error, the action at its path), not an internal error', async () => {
    const cwd = tempDir('sop-long-names-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const script = `apiVersion: sop-script/v1
answers:
  - role: writer
    action: write
    tools:
      - { tool: fs.write, args: { path: "${'a'.repeat(240)}", content: "x" } }
      - { tool: fs.write, args: { path: "${'b/'.repeat(3000)}c", content: "x" } }
    output: { file: "${'d'.repeat(5000)}.txt" }
`;
    writeFileSync(path.join(cwd, 'script.yaml'), script);
    const result = await sop(['run', 'sop.yaml', 'x', '--model', 'script:script.yaml'], { cwd });
    expect(result.stderr).toContain(`tool fs.write failed: artifact path "${'a'.repeat(60)}…" has a name of 240 bytes; a name is at most 200`);
    expect(result.stderr).toContain(`tool fs.write failed: artifact path "${'b/'.repeat(30)}…" is 6001 bytes long; a workspace path is at most 1024`);
    expect(result.stderr).toMatch(/sop\.yaml:\d+:\d+: error WORKSPACE_ESCAPE: artifact path "d{60}…" has a name of 5004 bytes; a name is at most 200/);
    expect(result.stderr).not.toContain('ENAMETOOLONG');
    expect(result.stderr).not.toContain('INTERNAL');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
  });
});
