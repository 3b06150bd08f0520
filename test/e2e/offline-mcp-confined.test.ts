import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { officialServerScript } from '../support/mcp/official-servers.js';
import { filesUnder, lastRun, project, run } from './providers-helpers.js';

/*
 * The offline model calls tools no prompt asked for, with made-up arguments. Offered the official
 * filesystem server on the user's own `data` folder, it must leave that folder as it was: only the
 * server's tools annotated `readOnlyHint: true` are called, the built-in ones still are (they act in
 * the run's workspace).
 */

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'tools', 'offline-files');
const SERVER = { FS_SERVER: officialServerScript('server-filesystem') };
/** The filesystem server's tools that change files (annotated `readOnlyHint: false`). */
const WRITING_TOOLS = ['files.write_file', 'files.edit_file', 'files.create_directory', 'files.move_file'];

/** The user's project: the fixture SOP, its test file and `data/notes.txt`, in a fresh folder. */
function userProject(): string {
  const cwd = project();
  cpSync(FIXTURE, cwd, { recursive: true });
  return cwd;
}

/** The user's own files: everything but what sop keeps for itself (.sop, the workspace, caches). */
function userFiles(cwd: string): Record<string, string> {
  return Object.fromEntries(Object.entries(filesUnder(cwd)).filter(([file]) => !/^(\.sop|\.cache|\.xdg|workspace)\//.test(file)));
}

afterAll(removeTempDirs);

describe('the offline model and MCP tools that change files', () => {
  it('sop run: the user folder is unchanged; only read-only MCP tools and the built-in ones are called', async () => {
    const cwd = userProject();
    const before = userFiles(cwd);
    expect(Object.keys(before)).toContain('data/notes.txt');
    const result = await run(cwd, ['run', 'sop.yaml', 'stuff'], SERVER);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(userFiles(cwd)).toEqual(before);
    const { events } = lastRun(cwd);
    const called = events.filter((event) => event.type === 'tool-call-start').map((event) => event.tool as string);
    for (const tool of WRITING_TOOLS) expect(called, tool).not.toContain(tool);
    // The read-only ones are still exercised, and reach the server.
    expect(called).toEqual(expect.arrayContaining(['files.read_text_file', 'files.list_directory', 'files.search_files', 'files.list_allowed_directories']));
    const listed = events.find((event) => event.type === 'tool-call-end' && event.tool === 'files.list_allowed_directories');
    expect(listed?.ok).toBe(true);
    // The built-in tools are called as before: fs.write writes into the run's workspace.
    expect(called).toEqual(expect.arrayContaining(['shell', 'fs.read', 'fs.write']));
  });

  it('sop test: the user folder is unchanged after the case runs', async () => {
    const cwd = userProject();
    const before = userFiles(cwd);
    const result = await run(cwd, ['test', 'sop.yaml'], SERVER);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('1 passed, 0 failed');
    expect(userFiles(cwd)).toEqual(before);
  });

  it('a script still calls a writing MCP tool it names: the call is the user\'s', async () => {
    const cwd = userProject();
    writeFileSync(
      path.join(cwd, 'answers.yaml'),
      `apiVersion: sop-script/v1
answers:
  - role: worker
    action: work
    tools:
      - { tool: files.write_file, args: { path: todo.txt, content: "from the script" } }
    output: done
`,
    );
    const result = await run(cwd, ['run', 'sop.yaml', 'stuff', '--model', 'script:answers.yaml'], SERVER);
    expect(result.code, result.stderr).toBe(0);
    expect(userFiles(cwd)['data/todo.txt']).toBe('from the script');
  });
});
