import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import type { ResolvedMcpServer, ResolvedSop } from '../spec/resolved.js';

/**
 * A queued run carries its SOP and the files it references (the bundle), not the SOP's folder: on
 * the worker that folder holds the bundle only. An MCP server started from a folder of the project
 * (`cwd: tools`) or on a file or folder of it (`command: [node, server.js]`) would fail there after
 * the run was queued, so the submitter refuses it first (USAGE, exit 2) naming the server, the field,
 * the path and what works on a worker. Carrying the folder is not done: it is unbounded (a server's
 * `node_modules`, its data).
 */
export function refuseProjectServerPaths(sop: ResolvedSop, bundled: ReadonlySet<string>): void {
  for (const server of Object.values(sop.mcpServers)) {
    if (server.command === undefined) continue;
    const written = sop.document.mcp_servers?.[server.name]?.cwd;
    if (written !== undefined && !written.includes('${env:') && !path.isAbsolute(written) && path.resolve(sop.dir, written) !== sop.dir) {
      throw uncarried(server, 'cwd', written, 'a folder of your project');
    }
    // A server started in another folder (absolute, or per machine) reads its paths there: the workers' business.
    if (written !== undefined && path.resolve(sop.dir, written) !== sop.dir) continue;
    server.command.forEach((part, index) => {
      if (part.startsWith('-') || part.includes('${env:') || path.isAbsolute(part)) return;
      const local = path.resolve(sop.dir, part);
      if (bundled.has(local) || !existsSync(local)) return;
      const what = local === sop.dir ? 'the SOP\'s folder' : statSync(local).isDirectory() ? 'a folder of your project' : 'a file of your project';
      throw uncarried(server, `command/${index}`, part, what);
    });
  }
}

function uncarried(server: ResolvedMcpServer, field: string, value: string, what: string): SopError {
  const { file, line, column } = server.fieldOrigins?.[field] ?? server.origin;
  const shown = field.replace(/\/(\d+)$/, '[$1]');
  return new SopError('USAGE', `${file}:${line}:${column}: MCP server "${server.name}": \`${shown}\` ${value} is ${what}, which a queued run does not carry to its worker (it carries the SOP and the files it references)`, {
    hint: 'for --queue, name a path present on every worker (absolute, or `${env:NAME}` set in each worker\'s environment), or start the server from npm (`command: [npx, -y, PACKAGE]`); or run without --queue',
  });
}
