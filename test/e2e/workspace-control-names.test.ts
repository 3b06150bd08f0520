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
