import { statSync } from 'node:fs';
import { joinPointer } from '../pointer.js';
import { checkEnvReferenceForm } from './env-reference-form.js';
import { isShell } from './tool-safety.js';
import type { McpServer } from '../sop.types.generated.js';
import { displayFile, type RuleContext } from './rule-context.js';


/** Fields that belong to one kind of server, and what to say when the other kind has them. */
const MISPLACED = [
  { field: 'cwd', belongsTo: 'command', hint: 'remove `cwd`: sop does not start an HTTP server' },
  { field: 'env', belongsTo: 'command', hint: 'remove `env`: sop does not start an HTTP server (send settings as `headers`)' },
  { field: 'headers', belongsTo: 'url', hint: 'remove `headers`: a stdio server gets its settings through `env`' },
] as const;

/**
 * An MCP server has exactly one of `command` (stdio) and `url` (HTTP); `cwd` and `env` belong to
 * stdio servers, `headers` to HTTP ones; `${env:NAME}` references are well-formed (their values
 * are read when the run starts, never by `sop validate`).
 */
export function mcpServers(context: RuleContext): void {
  for (const [name, server] of Object.entries(context.document.mcp_servers ?? {})) {
    const pointer = joinPointer('/mcp_servers', name);
    const stdio = server.command !== undefined;
    if (stdio === (server.url !== undefined)) {
      context.sink.error(stdio ? 'SCHEMA_VIOLATION' : 'SCHEMA_MISSING_FIELD', stdio ? joinPointer(pointer, 'url') : pointer, `MCP server \`${name}\` needs exactly one of \`command\` and \`url\``, {
        at: 'key',
        expected: '`command: [program, args...]` (stdio) or `url: http://host/mcp` (streamable HTTP)',
        hint: stdio ? 'declare two servers if both are wanted' : 'add `command: [node, server.mjs]` or `url: http://127.0.0.1:8931/mcp`',
      });
    }
    for (const { field, belongsTo, hint } of MISPLACED) {
      // A server of neither kind has had its error; its fields are judged once it has one.
      if (server[field] === undefined || server[belongsTo] !== undefined || (!stdio && server.url === undefined)) continue;
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, field), `\`${field}\` applies to ${belongsTo === 'url' ? 'HTTP (`url`)' : 'stdio (`command`)'} servers only`, {
        at: 'key',
        expected: `a server with \`${belongsTo}\``,
        hint,
      });
    }
    missingFolder(context, name, server);
    // A shell started as the server (`[sh, -c, "exec node server.js --token $TOKEN"]`) reads `$NAME` in its arguments itself.
    const shellReads = server.command?.[0] !== undefined && isShell(server.command[0]);
    for (const [fieldPointer, value] of envFields(pointer, server)) {
      checkEnvReferenceForm(context, fieldPointer, value, { shellSyntax: !(shellReads && fieldPointer.startsWith(joinPointer(pointer, 'command'))) });
    }
  }
}

/**
 * A stdio server's `cwd` is a folder: a missing one failed the run with "spawn node ENOENT", as if
 * `node` were missing. It is a warning: a run may make the folder first (`cwd: out` with
 * `--workspace out`). A folder naming `${env:NAME}` is only known when the run starts.
 */
function missingFolder(context: RuleContext, name: string, server: McpServer): void {
  const folder = context.sop.mcpServers[name]?.cwd;
  if (server.command === undefined || server.cwd === undefined || server.cwd.includes('${env:') || folder === undefined) return;
  let isFolder: boolean | undefined;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = undefined;
  }
  if (isFolder) return;
  const shown = displayFile(context.sop, folder);
  const pointer = joinPointer('/mcp_servers', name, 'cwd');
  const where = `MCP server \`${name}\`: working folder \`${server.cwd}\`${shown === server.cwd ? '' : ` (${shown})`}`;
  const expected = 'an existing folder, relative to the SOP\'s folder';
  if (isFolder === false) {
    context.sink.error('FILE_REF_INVALID', pointer, `${where} is a file, not a folder`, { expected, hint: 'name the folder the server starts in' });
    return;
  }
  context.sink.warning('MCP_CWD_MISSING', pointer, `${where} does not exist: the run cannot start the server unless the folder is made first`, {
    expected,
    hint: `create ${shown}, or correct \`cwd\` (it starts from the SOP's folder); a folder the run makes (its workspace) may be left as it is`,
  });
}

/** The fields of a server that may hold `${env:NAME}` (`command` entries, `cwd`, `env`, `headers`), by pointer. */
function envFields(pointer: string, server: McpServer): Array<[string, string]> {
  return [
    ...(server.command ?? []).map((part, index): [string, string] => [joinPointer(pointer, 'command', index), part]),
    ...(server.cwd === undefined ? [] : [[joinPointer(pointer, 'cwd'), server.cwd] as [string, string]]),
    ...(['env', 'headers'] as const).flatMap((field) => Object.entries(server[field] ?? {}).map(([key, value]): [string, string] => [joinPointer(pointer, field, key), value])),
  ];
}
