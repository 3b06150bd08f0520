import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * `sop lock` pins an SOP's files and models, but an MCP server started as `npx PACKAGE` runs whatever
 * version npm resolves when a run starts: the lock says so at the package, for each such server,
 * and not for a pinned package or a local script (nor a flag's value: `--registry URL`).
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
        message: 'MCP server latest runs `npx some-mcp@latest`, whatever version npm resolves when a run starts: sop.lock cannot pin it; name an exact version in its command (`some-mcp@X.Y.Z`; `npm view some-mcp version` gives the newest)',
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
});
