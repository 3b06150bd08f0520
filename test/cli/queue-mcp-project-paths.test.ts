import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { officialServerScript } from '../support/mcp/official-servers.js';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A queued run carries its SOP and the files it references, not the SOP's folder: an MCP server
 * started from a folder of the project, or on a file of it, failed on the worker after the run was
 * queued. `sop run --queue` refuses it first (exit 2), before it connects to Redis: the queue URL
 * here answers nobody, so a run that got past the check fails to reach it (exit 18).
 */
const NOBODY = 'redis://127.0.0.1:1';

function project(server: string): string {
  const cwd = tempDir('sop-queue-mcp-paths-');
  mkdirSync(path.join(cwd, 'data'));
  writeFileSync(path.join(cwd, 'data', 'notes.txt'), 'notes\n');
  writeFileSync(path.join(cwd, 'server.mjs'), '// a local MCP server\n');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    `apiVersion: sop/v1
kind: SOP
metadata: { name: queued-files, version: 1.0.0 }
messages:
  Ask: { description: a question }
  Findings: { description: what the files say }
start: [{ type: Ask, content: "{{ inputs.idea }}" }]
mcp_servers:
  files:
${server}
roles:
  researcher:
    profile: Researcher
    watch: [Ask]
    actions:
      - { id: research, prompt: "{{ message.content }}", tools: [files.*], output: { type: Findings } }
stop_when: { type: Findings }
`,
  );
  return cwd;
}

const HINT = "  hint: for --queue, name a path present on every worker (absolute, or `${env:NAME}` set in each worker's environment), or start the server from npm (`command: [npx, -y, PACKAGE]`); or run without --queue\n";

describe('sop run --queue with an MCP server on a path of the project', () => {
  it('a relative `cwd`: refused at the field before anything is queued, naming the server, the folder and what to do, exit 2', async () => {
    const cwd = project(`    command: [node, ${JSON.stringify(officialServerScript('server-filesystem'))}, /tmp]\n    cwd: data`);
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci', '--queue', NOBODY], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toBe(
      'error USAGE: sop.yaml:11:10: MCP server "files": `cwd` data is a folder of your project, which a queued run does not carry to its worker (it carries the SOP and the files it references)\n' + HINT,
    );
  });

  it('a file or folder of the project in `command`: refused at that part', async () => {
    const script = await sop(['run', 'sop.yaml', 'sales', '--ci', '--queue', NOBODY], { cwd: project('    command: [node, server.mjs]') });
    expect(script.code, script.stderr).toBe(2);
    expect(script.stderr).toContain('error USAGE: sop.yaml:10:21: MCP server "files": `command[1]` server.mjs is a file of your project, which a queued run does not carry to its worker');
    const root = await sop(['run', 'sop.yaml', 'sales', '--ci', '--queue', NOBODY], { cwd: project(`    command: [node, ${JSON.stringify(officialServerScript('server-filesystem'))}, "."]`) });
    expect(root.code, root.stderr).toBe(2);
    expect(root.stderr).toMatch(/^error USAGE: sop\.yaml:10:\d+: MCP server "files": `command\[2\]` \. is the SOP's folder, which a queued run does not carry to its worker/);
  });

  it('a program from npm or an absolute path is not refused: the run goes on to the queue', async () => {
    for (const server of ['    command: [npx, -y, "@modelcontextprotocol/server-memory"]', `    command: [node, ${JSON.stringify(officialServerScript('server-memory'))}]\n    cwd: /tmp`]) {
      const result = await sop(['run', 'sop.yaml', 'sales', '--ci', '--queue', NOBODY], { cwd: project(server) });
      expect(result.code, result.stderr).toBe(18);
      expect(result.stderr).toContain('QUEUE_UNREACHABLE');
    }
  });
});
