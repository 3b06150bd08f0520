import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop test` of an SOP whose MCP server is found through `${env:NAME}`: `sop run` expands it, but the
 * test started the server with the text `${env:NOTES_DIR}` (Cannot find module '.../${env:NOTES_DIR}/...'),
 * whether the variable was set or not.
 */
function exampleFoundThroughEnv(): string {
  const cwd = tempDir('sop-mcp-env-');
  const copy = path.join(cwd, 'mcp-tools');
  cpSync(path.join(repoRoot, 'examples', 'mcp-tools'), copy, { recursive: true });
  // The SDK installed beside the copy, as its README says.
  mkdirSync(path.join(copy, 'node_modules', '@modelcontextprotocol'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'sdk'), path.join(copy, 'node_modules', '@modelcontextprotocol', 'sdk'));
  const sopFile = path.join(copy, 'sop.yaml');
  const text = readFileSync(sopFile, 'utf8');
  expect(text).toContain('command: [node, notes-server.mjs]');
  writeFileSync(sopFile, text.replace('command: [node, notes-server.mjs]', 'command: [node, "${env:NOTES_DIR}/notes-server.mjs"]'));
  return cwd;
}

describe('sop test: ${env:NAME} in an MCP server', () => {
  it('is expanded as sop run expands it: the cases pass', { timeout: 120_000 }, async () => {
    const cwd = exampleFoundThroughEnv();
    const result = await sop(['test', 'mcp-tools'], { cwd, env: { NOTES_DIR: path.join(cwd, 'mcp-tools') } });
    expect(result.stdout).not.toContain('${env:');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('3 passed, 0 failed, 0 skipped');
  });

  it('unset: each case is refused with CONFIG_ENV_MISSING naming it, as sop run refuses the run', { timeout: 120_000 }, async () => {
    const cwd = exampleFoundThroughEnv();
    const result = await sop(['test', 'mcp-tools'], { cwd, env: { NOTES_DIR: undefined } });
    expect(result.code, result.stdout).toBe(16);
    expect(result.stdout.match(/^ {2}run: failed, exit 11, CONFIG_ENV_MISSING$/gm)).toHaveLength(3);
    expect(result.stdout).toContain('environment variable NOTES_DIR is not set (used by `mcp_servers.notes.command[1]`');
    expect(result.stdout).not.toMatch(/^\s+at \S+ \(/m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
