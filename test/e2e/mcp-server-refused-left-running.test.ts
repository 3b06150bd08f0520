import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from '../cli/run-cli.js';

/**
 * A stdio MCP server that refuses `initialize` and stays up, ignoring the end of its stdin (as a
 * server that never answers does until the start-up timeout). The run fails with
 * MCP_SERVER_FAILED; its process used to outlive `sop`, reparented to init, one more per run.
 */
const SERVER = `import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
writeFileSync('server.pid', String(process.pid));
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id } = JSON.parse(line);
  if (id !== undefined) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'not ready' } }) + '\\n');
});
setInterval(() => {}, 1000);
`;

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: refused, version: 0.1.0 }
messages:
  Idea: {}
  Answer: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Answer }
mcp_servers:
  kb: { command: [node, refusing-server.mjs] }
roles:
  agent:
    profile: Agent
    watch: [Idea]
    actions:
      - id: answer
        prompt: "Answer {{ message.content }}"
        tools: [kb.*]
        output: { type: Answer, format: markdown }
`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(removeTempDirs);

describe('an MCP server that refuses to start and stays up', () => {
  it('sop run fails (exit 9, MCP_SERVER_FAILED) and the server process is gone when sop exits', async () => {
    const cwd = tempDir('sop-mcp-refused-');
    writeFileSync(path.join(cwd, 'refusing-server.mjs'), SERVER);
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sop(['run', 'sop.yaml', 'hi'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('error MCP_SERVER_FAILED: sop.yaml:10:3: MCP server "kb": cannot connect: MCP error -32603: not ready');
    const pid = Number(readFileSync(path.join(cwd, 'server.pid'), 'utf8'));
    const leftRunning = isRunning(pid);
    if (leftRunning) process.kill(pid, 'SIGKILL');
    expect(leftRunning, `the server (pid ${pid}) outlived sop`).toBe(false);
  });
});
