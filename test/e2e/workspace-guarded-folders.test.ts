import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: guarded, version: 1.0.0 }
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
        tools: [fs.write, fs.read, fs.search, fs.list]
        max_tool_calls: 12
        output: { type: Done, format: json }
        artifacts:
          - { path: "{{ payload.file }}", content: "#!/bin/sh\\ntouch pwned\\n" }
stop_when: { type: Done }
`;

/** A model in a checkout (`--workspace .`) writing git's hooks and config, by name, case and symlink. */
const SCRIPT = `apiVersion: sop-script/v1
answers:
  - role: writer
    action: write
    tools:
      - { tool: fs.write, args: { path: .git/config, content: "[core]\\n\\tfsmonitor = touch pwned\\n" } }
      - { tool: fs.write, args: { path: ".GIT./config", content: "x" } }
      - { tool: fs.write, args: { path: hooks/pre-commit, content: "x" } }
      - { tool: fs.write, args: { path: .sop/runs/forged.txt, content: "x" } }
      - { tool: fs.write, args: { path: notes.md, content: "fine" } }
      - { tool: fs.read, args: { path: .git/config } }
      - { tool: fs.list, args: { path: hooks } }
      - { tool: fs.search, args: { text: "https://x:TOKEN" } }
      - { tool: fs.list, args: { recursive: true } }
      - { tool: fs.list, args: { path: .GIT } }
    output: { file: .git/hooks/post-checkout }
`;

describe('a workspace holding .git and .sop', () => {
  it('refuses every write into them and every read of .git, by name, case or symlink, and writes the rest', async () => {
    const cwd = tempDir('sop-guarded-');
    execFileSync('git', ['init', '-q', cwd]);
    // A remote URL with a token, as a clone by token leaves it in .git/config.
    execFileSync('git', ['-C', cwd, 'remote', 'add', 'origin', 'https://x:TOKEN-in-git-config@example.com/repo.git']);
    const config = readFileSync(path.join(cwd, '.git', 'config'), 'utf8');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'script.yaml'), SCRIPT);
    symlinkSync(path.join('.git', 'hooks'), path.join(cwd, 'hooks'));
    const hooks = readdirSync(path.join(cwd, '.git', 'hooks'));

    const result = await sop(['run', 'sop.yaml', 'x', '--workspace', '.', '--model', 'script:script.yaml'], { cwd });

    expect(result.stderr).toContain('tool fs.write failed: artifact path ".git/config" goes into the git folder (.git), whose hooks and config git runs as commands');
    expect(result.stderr).toContain('artifact path ".GIT./config" goes into the git folder');
    expect(result.stderr).toContain('artifact path "hooks/pre-commit" goes into the git folder');
    expect(result.stderr).toContain('artifact path ".sop/runs/forged.txt" goes into sop\'s run records (.sop)');
    // The artifact path an answer chose is the action's failure, at the SOP's template.
    expect(result.stderr).toMatch(/sop\.yaml:\d+:\d+: error WORKSPACE_ESCAPE: artifact path "\.git\/hooks\/post-checkout" goes into the git folder/);
    expect(result.stderr).toContain('tool fs.read failed: path ".git/config" is in the git folder (.git), which may hold credentials (a remote URL with a token); sop does not read it');
    expect(result.stderr).toContain('tool fs.list failed: path ".GIT" is in the git folder (.git)');
    expect(result.stderr).toContain('tool fs.list failed: path "hooks" is in the git folder (.git)');
    // Nothing of the git folder reached the model: searched and listed past, never read.
    const journal = readFileSync(path.join(cwd, '.sop', 'runs', readdirSync(path.join(cwd, '.sop', 'runs'))[0]!, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain('TOKEN-in-git-config');
    expect(journal).not.toContain('HEAD');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    expect(readFileSync(path.join(cwd, '.git', 'config'), 'utf8')).toBe(config);
    expect(readdirSync(path.join(cwd, '.git', 'hooks'))).toEqual(hooks);
    expect(existsSync(path.join(cwd, '.sop', 'runs', 'forged.txt'))).toBe(false);
    expect(readFileSync(path.join(cwd, 'notes.md'), 'utf8')).toBe('fine');
  });
});
