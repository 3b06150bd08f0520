import path from 'node:path';
import type { ResolvedSop } from '../spec/resolved.js';

/** An MCP server whose `npx` command names no exact version of its npm package. */
export interface UnpinnedServer {
  server: string;
  /** The package as the command names it (`@modelcontextprotocol/server-memory`, `pkg@latest`). */
  spec: string;
  /** Its name without a version. */
  name: string;
  /** The command's part that names it (`command/2`, a key of the server's `fieldOrigins`). */
  field: string;
}

/** `1.2.3`, `2025.8.4`, `1.0.0-rc.1`: one version, not a range or a tag. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

/**
 * The MCP servers started with `npx PACKAGE` (or `npx -p PACKAGE`) where PACKAGE has no exact
 * version: npx runs whatever npm resolves when the run starts, so `sop.lock` pins the SOP but not the
 * server a `--frozen` run calls. A path or URL (`./server.js`, `github:...`) is no registry package.
 */
export function unpinnedServers(sop: ResolvedSop): UnpinnedServer[] {
  const found: UnpinnedServer[] = [];
  for (const server of Object.values(sop.mcpServers)) {
    const { spec, index } = npxPackage(server.command) ?? {};
    if (spec === undefined || /^[./~]|:/.test(spec)) continue;
    const at = spec.indexOf('@', 1);
    const name = at === -1 ? spec : spec.slice(0, at);
    if (at === -1 || !EXACT_VERSION.test(spec.slice(at + 1))) found.push({ server: server.name, spec, name, field: `command/${index}` });
  }
  return found;
}

/** npm flags npx reads with their value as the next word (`--registry URL`): that word is no package. */
const FLAGS_WITH_VALUE = new Set(['--registry', '--cache', '--userconfig', '--prefix', '--loglevel', '--node-options', '--script-shell', '--workspace', '-w']);

/** The package an `npx` command runs (`--package`/`-p`'s value, else its first word that is no flag nor a flag's value), and its index in the command. */
function npxPackage(command: readonly string[] | undefined): { spec: string | undefined; index: number } | undefined {
  // win32's basename takes `/` and `\` alike: `C:\nodejs\npx.cmd` in an SOP written on Windows.
  if (!command || !/^npx(\.cmd)?$/i.test(path.win32.basename(command[0] ?? ''))) return undefined;
  for (let index = 1; index < command.length; index += 1) {
    const part = command[index] as string;
    if (part === '--package' || part === '-p') return { spec: command[index + 1], index: index + 1 };
    if (part.startsWith('--package=')) return { spec: part.slice('--package='.length), index };
  }
  for (let index = 1; index < command.length; index += 1) {
    const part = command[index] as string;
    if (FLAGS_WITH_VALUE.has(part)) index += 1;
    else if (!part.startsWith('-')) return { spec: part, index };
  }
  return undefined;
}
