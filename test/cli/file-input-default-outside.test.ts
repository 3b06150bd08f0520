import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

function sopWith(fileDefault: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: fileinput, version: 1.0.0, requires: ">=0.2 <1" }
inputs:
  doc: { type: file, default: ${JSON.stringify(fileDefault)}, description: the document }
messages:
  Idea: { description: the idea }
  Done: { description: done }
start: [{ type: Idea, content: go }]
roles:
  writer:
    profile: Writer
    goal: Write
    watch: [Idea]
    actions:
      - id: write
        reads: ["{{ inputs.doc }}"]
        prompt: "Doc: {{ files[inputs.doc] }}"
        output: { type: Done, format: text }
stop_when: { type: Done }
`;
}

describe("a file input's default", () => {
  it.each([
    ['an absolute path', 'OUTSIDE', 'is an absolute path'],
    ['a climb out of the project', '@../secret.txt', 'leaves the folder sop runs in'],
  ])('naming %s is refused before anything is read or run', async (_what, fileDefault, problem) => {
    const root = tempDir('sop-file-default-');
    const secret = path.join(root, 'secret.txt');
    writeFileSync(secret, 'a private key');
    const cwd = path.join(root, 'project');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(fileDefault === 'OUTSIDE' ? `@${secret}` : fileDefault));
    const result = await sop(['run', 'sop.yaml'], { cwd });
    expect(result.stderr).toMatch(new RegExp(`sop\\.yaml:5:\\d+: error FILE_REF_ESCAPE: file input \`doc\`'s default \`[^\`]+\` ${problem}`));
    expect(result.stderr).toContain('hint: give a file of the project as the default, or remove the default so the user gives the file: --input doc=@path/to/file');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(3);
    expect(existsSync(path.join(cwd, 'workspace'))).toBe(false);
  });

  it('may name a file of the project, and the user may still give any file', async () => {
    const root = tempDir('sop-file-default-');
    const cwd = path.join(root, 'project');
    mkdirSync(path.join(cwd, 'data'), { recursive: true });
    writeFileSync(path.join(cwd, 'data', 'sample.txt'), 'sample');
    writeFileSync(path.join(root, 'mine.txt'), 'mine');
    writeFileSync(path.join(cwd, 'sop.yaml'), sopWith('@data/sample.txt'));
    const byDefault = await sop(['run', 'sop.yaml'], { cwd });
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'workspace', 'fileinput', 'sample.txt'))).toBe(true);
    const given = await sop(['run', 'sop.yaml', '--input', `doc=@${path.join(root, 'mine.txt')}`, '--workspace', 'other'], { cwd });
    expect(given.code, given.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'other', 'mine.txt'))).toBe(true);
  });
});
