import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A model calling a tool it was not offered got back only `there is no tool named "..."`: it had
 * to guess again. Now the result names the nearest offered tool and the tools it can call, as the
 * model was given them (wire names: `fs_read`).
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: unknown-tool, version: 1.0.0 }
messages:
  Task: { description: what to do }
  Notes: { description: what the tools said }
start:
  - { type: Task, content: go }
roles:
  worker:
    profile: Worker
    watch: [Task]
    actions:
      - id: look
        prompt: "Use the tools on {{ message.content }}."
        tools: [fs.read, fs.list, fs.search]
        output: { type: Notes, format: text }
stop_when: { type: Notes }
`;

// A misspelt tool (as the SOP writes it, and as the wire does), and one near no offered tool.
const SCRIPT = `apiVersion: sop-script/v1
answers:
  - role: worker
    action: look
    tools:
      - { tool: fs.raed, args: { path: notes.md } }
      - { tool: fs_lsit, args: {} }
      - { tool: deploy_everything, args: {} }
    output: done
`;

/** The errors the model was given back, in call order, from the run's journal. */
function toolErrors(cwd: string): Array<string | undefined> {
  const runs = path.join(cwd, '.sop', 'runs');
  const [run] = readdirSync(runs);
  return readFileSync(path.join(runs, run as string, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"tool-call-end"'))
    .map((line) => (JSON.parse(line) as { error?: string }).error);
}

describe('a model calling a tool it was not offered', () => {
  it('is told the nearest offered tool, when one is close, and the tools it can call', async () => {
    const cwd = tempDir('sop-unknown-tool-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'script.yaml'), SCRIPT);
    const result = await sop(['run', 'sop.yaml', 'go', '--model', 'script:script.yaml', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const offered = 'the tools you can call: fs_list, fs_read, fs_search';
    expect(toolErrors(cwd)).toEqual([
      `there is no tool named "fs.raed"; did you mean \`fs_read\`? ${offered}`,
      `there is no tool named "fs_lsit"; did you mean \`fs_list\`? ${offered}`,
      `there is no tool named "deploy_everything"; ${offered}`,
    ]);
  });
});
