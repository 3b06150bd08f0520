import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { officialServerScript } from '../support/mcp/official-servers.js';
import { lastRun, project, run } from './providers-helpers.js';

/*
 * An offline run tries a SOP out: the offline model calls each offered tool once with made-up
 * arguments, the required ones only. The official filesystem server's `read_text_file` takes
 * optional `head` and `tail`, which may not both be given: filled too, the call failed.
 */

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'tools', 'offline-files');
const SERVER = { FS_SERVER: officialServerScript('server-filesystem') };

afterAll(removeTempDirs);

/** The `tool-call-start` and `tool-call-end` events of one tool in the last run. */
function callOf(cwd: string, tool: string): { arguments: Record<string, unknown>; end: any } {
  const { events } = lastRun(cwd);
  const start = events.find((event) => event.type === 'tool-call-start' && event.tool === tool);
  const end = events.find((event) => event.type === 'tool-call-end' && event.tool === tool);
  return { arguments: JSON.parse(String(start?.arguments)) as Record<string, unknown>, end };
}

describe('the offline model\'s tool arguments', () => {
  it('sop run: an MCP tool gets its required arguments only, and its call succeeds', async () => {
    const cwd = project();
    cpSync(FIXTURE, cwd, { recursive: true });
    const first = await run(cwd, ['run', 'sop.yaml', 'stuff'], SERVER);
    expect(first.stderr).not.toMatch(STACK_LINE);
    expect(first.code, first.stderr).toBe(0);
    const read = callOf(cwd, 'files.read_text_file');
    expect(Object.keys(read.arguments)).toEqual(['path']);
    // The file the made-up path names, in the server's folder: the same run again reads it.
    const file = String(read.arguments.path);
    mkdirSync(path.dirname(path.join(cwd, 'data', file)), { recursive: true });
    writeFileSync(path.join(cwd, 'data', file), 'print("hello")\n');
    const second = await run(cwd, ['run', 'sop.yaml', 'stuff'], SERVER);
    expect(second.code, second.stderr).toBe(0);
    const again = callOf(cwd, 'files.read_text_file');
    expect(again.arguments).toEqual(read.arguments);
    expect(again.end).toMatchObject({ ok: true });
  });
});
