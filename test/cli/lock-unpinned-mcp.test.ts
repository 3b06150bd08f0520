import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * `sop lock` pins an SOP's files and models, but an MCP server started as `npx PACKAGE` runs whatever
 * version npm resolves when a run starts: the lock says so at the package, for each such server,
 * and not for a pinned package or a local script (nor a flag's value: `--registry URL`). So it does
 * for the other package runners (`npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`, `uvx`, `uv tool run`,
 * `pipx run`), each with its own flags and pin syntax, and for every package of a command, not the first.
 */
afterAll(removeTempDirs);

describe('sop lock and MCP servers run with npx', () => {
  it('warns at each package without an exact version, writes the lock all the same', async () => {
    const dir = tempDir('sop-lock-npx-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'lock', 'unpinned-mcp.yaml'), path.join(dir, 'sop.yaml'));
    const result = await sop(['lock', 'sop.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'sop.lock'))).toBe(true);
    const { warnings } = envelopeOf(result) as { warnings: Array<{ message: string; file: string; line: number; column: number }> };
    expect(warnings).toEqual([
      {
        file: 'sop.yaml', line: 6, column: 24,
        message: 'MCP server memory runs `npx @modelcontextprotocol/server-memory`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`@modelcontextprotocol/server-memory@X.Y.Z`; `npm view @modelcontextprotocol/server-memory version` gives the newest)',
      },
      {
        file: 'sop.yaml', line: 10, column: 27,
        message: 'MCP server latest runs `npx --package some-mcp@latest`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`some-mcp@X.Y.Z`; `npm view some-mcp version` gives the newest)',
      },
      // The word after --registry is its value, not the package; npx.cmd named by a Windows path is npx.
      {
        file: 'sop.yaml', line: 14, column: 59,
        message: 'MCP server registry runs `npx other-mcp`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`other-mcp@X.Y.Z`; `npm view other-mcp version` gives the newest)',
      },
      {
        file: 'sop.yaml', line: 16, column: 40,
        message: 'MCP server windows runs `npx win-mcp@^1.2.0`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`win-mcp@X.Y.Z`; `npm view win-mcp version` gives the newest)',
      },
    ]);
  });

  it('warns the same way at every package runner, each with its own flags and pin syntax; not at pinned packages, other commands or sources', async () => {
    const dir = tempDir('sop-lock-runners-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'lock', 'unpinned-runners.yaml'), path.join(dir, 'sop.yaml'));
    const result = await sop(['lock', 'sop.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { warnings } = envelopeOf(result) as { warnings: Array<{ message: string; file: string; line: number; column: number }> };
    // Not warned: yarn dlx -p yarn-mcp@1.0.0, uvx mcp-server-time@0.6.2, --from mcp-server-sqlite[cli]==2025.4.25,
    // --with httpx==0.28.1, pipx run pipx-pinned==1.4.0, npm install (no runner), a git+https source.
    expect(warnings).toEqual([
      // the second -p of npx (the first is pinned)
      { file: 'sop.yaml', line: 6, column: 51, message: 'MCP server npx_packages runs `npx -p second-mcp`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`second-mcp@X.Y.Z`; `npm view second-mcp version` gives the newest)' },
      // after --
      { file: 'sop.yaml', line: 8, column: 37, message: 'MCP server npm_exec runs `npm exec exec-mcp@next`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`exec-mcp@X.Y.Z`; `npm view exec-mcp version` gives the newest)' },
      { file: 'sop.yaml', line: 10, column: 23, message: 'MCP server npm_x runs `npm x --package x-mcp@^2`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`x-mcp@X.Y.Z`; `npm view x-mcp version` gives the newest)' },
      { file: 'sop.yaml', line: 14, column: 26, message: 'MCP server pnpm runs `pnpm dlx pnpm-mcp`, whatever version pnpm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`pnpm-mcp@X.Y.Z`; `npm view pnpm-mcp version` gives the newest)' },
      { file: 'sop.yaml', line: 18, column: 21, message: 'MCP server bun runs `bunx @scope/bun-mcp@latest`, whatever version bun resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`@scope/bun-mcp@X.Y.Z`; `npm view @scope/bun-mcp version` gives the newest)' },
      // uvx's -p is --python: its value is no package; uv names the tool's version with @
      { file: 'sop.yaml', line: 20, column: 38, message: 'MCP server uvx runs `uvx mcp-server-fetch`, whatever version uv resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`mcp-server-fetch@X.Y.Z`; `pip index versions mcp-server-fetch` lists them)' },
      // a requirement after --from and --with is written with ==
      { file: 'sop.yaml', line: 24, column: 28, message: 'MCP server uvx_from runs `uvx --from mcp-server-git>=2025.1`, whatever version uv resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`mcp-server-git==X.Y.Z`; `pip index versions mcp-server-git` lists them)' },
      { file: 'sop.yaml', line: 24, column: 62, message: 'MCP server uvx_from runs `uvx --with rich`, whatever version uv resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`rich==X.Y.Z`; `pip index versions rich` lists them)' },
      { file: 'sop.yaml', line: 28, column: 30, message: 'MCP server uv_tool_run runs `uv tool run mcp-proxy==0.*`, whatever version uv resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`mcp-proxy@X.Y.Z`; `pip index versions mcp-proxy` lists them)' },
      { file: 'sop.yaml', line: 30, column: 34, message: 'MCP server pipx runs `pipx run --spec pipx-mcp~=1.0`, whatever version pipx resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`pipx-mcp==X.Y.Z`; `pip index versions pipx-mcp` lists them)' },
      { file: 'sop.yaml', line: 32, column: 26, message: 'MCP server pipx_word runs `pipx run pipx-word-mcp`, whatever version pipx resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`pipx-word-mcp==X.Y.Z`; `pip index versions pipx-word-mcp` lists them)' },
    ]);
  });
});
