import path from 'node:path';
import { envReferences, expandEnv } from '../config/env-refs.js';
import type { Environment } from '../config/types.js';
import type { ResolvedMcpServer } from '../spec/resolved.js';

/**
 * The SOP's MCP servers with `${env:NAME}` expanded in `command`, `cwd`, `url`, `env` and `headers`,
 * checked before the run starts (an unset variable is CONFIG_ENV_MISSING naming it). Expanded `url`,
 * `env` and `headers` values are secrets: the run masks them everywhere it writes. `command` and
 * `cwd` name programs and folders on this machine, not secrets (masking them would hide every path
 * in the run's messages).
 */
export function expandMcpServers(
  servers: Record<string, ResolvedMcpServer>,
  env: Environment,
  sop: { displayPath: string; file: string },
): { servers: Record<string, ResolvedMcpServer>; secrets: string[] } {
  const sopPath = sop.displayPath;
  const secrets: string[] = [];
  const expand = (values: Record<string, string>, key: string): Record<string, string> => {
    const expanded: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      expanded[name] = expandEnv(value, env, `${key}.${name}`, sopPath);
      if (envReferences(value).length > 0) secrets.push(expanded[name] as string);
    }
    return expanded;
  };
  const result: Record<string, ResolvedMcpServer> = {};
  for (const [name, server] of Object.entries(servers)) {
    const key = `mcp_servers.${name}`;
    result[name] = {
      ...server,
      command: server.command?.map((part, index) => expandEnv(part, env, `${key}.command[${index}]`, sopPath)),
      cwd: server.cwd === undefined ? undefined : path.resolve(path.dirname(sop.file), expandEnv(server.cwd, env, `${key}.cwd`, sopPath)),
      ...(server.url === undefined ? {} : { url: expandEnv(server.url, env, `mcp_servers.${name}.url`, sopPath) }),
      env: expand(server.env, `mcp_servers.${name}.env`),
      headers: expand(server.headers, `mcp_servers.${name}.headers`),
    };
  }
  return { servers: result, secrets };
}
