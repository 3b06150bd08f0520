import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * A stdio MCP server that stops as it starts (the examples/mcp-tools server copied out of the
 * repository cannot import the MCP SDK): its whole stack trace was pasted into the error, and from
 * there into every `sop test` expectation the run failed. Now one line says which server stopped
 * and what it said, and a hint says how to fix it.
 */
const NOT_FOUND = /MCP server "notes": cannot connect: `node notes-server\.mjs` stopped: Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package '@modelcontextprotocol\/sdk' imported from \S+notes-server\.mjs$/m;

function copiedExample(): string {
  const cwd = tempDir('sop-mcp-copy-');
  cpSync(path.join(repoRoot, 'examples', 'mcp-tools'), path.join(cwd, 'mcp-tools'), { recursive: true });
  return cwd;
}

/** No stack frame (`sop test`'s own `at FILE:LINE:COL` lines aside), no Node internals, no "Node.js vX" banner of the server's crash. */
function expectNoServerTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at \S+ \(/m);
  expect(text).not.toContain('node:internal');
  expect(text).not.toMatch(/^Node\.js v\d/m);
  expect(text).not.toContain('Connection closed');
}

describe('an MCP server that stops as it starts', () => {
  it('sop test of examples/mcp-tools copied out of the repository: one line naming the server and the missing package, the fix once per case', async () => {
    const cwd = copiedExample();
    const result = await sop(['test', 'mcp-tools'], { cwd });
    expect(result.code, result.stderr).toBe(16);
    expectNoServerTrace(result.stdout);
    expectNoServerTrace(result.stderr);
    expect(result.stdout).toMatch(/^ {2}✗ expect\.status: status was failed, expected completed \(MCP_SERVER_FAILED: mcp-tools\/sop\.yaml:26:3: /m);
    expect(result.stdout.split('\n').filter((line) => NOT_FOUND.test(line.replace(/\)$/, '')))).not.toHaveLength(0);
    const hints = result.stdout.split('\n').filter((line) => line.startsWith('  hint: '));
    expect(hints).toHaveLength(3);
    expect(hints[0]).toBe(`  hint: the server cannot import the npm package @modelcontextprotocol/sdk: install it where the server's script is (\`npm install @modelcontextprotocol/sdk\` in ${path.join(cwd, 'mcp-tools')}, or in a folder above it)`);
  });

  it('sop run of the copy: the same error line and hint, exit 9', async () => {
    const cwd = copiedExample();
    const result = await sop(['run', 'mcp-tools/sop.yaml', 'How do we deploy?'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expectNoServerTrace(result.stderr);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toMatch(/^error MCP_SERVER_FAILED: mcp-tools\/sop\.yaml:26:3: /m);
    expect(result.stderr).toMatch(NOT_FOUND);
    expect(result.stderr).toContain('hint: the server cannot import the npm package @modelcontextprotocol/sdk');
  });

  it('a Python server missing a module: its error line, not its traceback, and what to install', async () => {
    const cwd = copiedExample();
    writeFileSync(path.join(cwd, 'mcp-tools', 'server.py'), 'import sys\nimport no_such_mcp_module\n');
    const sopFile = path.join(cwd, 'mcp-tools', 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('command: [node, notes-server.mjs]', 'command: [python3, server.py]'));
    const result = await sop(['run', 'mcp-tools/sop.yaml', 'How do we deploy?'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toContain('Traceback');
    expect(result.stderr).toMatch(/^error MCP_SERVER_FAILED: mcp-tools\/sop\.yaml:26:3: MCP server "notes": cannot connect: `python3 server\.py` stopped: ModuleNotFoundError: No module named 'no_such_mcp_module'$/m);
    expect(result.stderr).toContain('hint: the server cannot import the Python module no_such_mcp_module: install it for the Python that runs the server, then retry');
  });
});
