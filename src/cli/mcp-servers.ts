import path from 'node:path';
import { envReferences, expandEnv } from '../config/env-refs.js';
import type { Environment } from '../config/types.js';
import type { ResolvedMcpServer } from '../spec/resolved.js';

/**
 * The SOP's MCP servers with `${env:NAME}` expanded in `command`, `cwd`, `url`, `env` and `headers`,
 * checked before the run starts (an unset variable is CONFIG_ENV_MISSING naming it). Expanded `url`,
 * `env` and `headers` values are secrets: the run masks them everywhere it writes. `command` and
 * `cwd` name programs and folders on this machine, not secrets (masking them would hide every path
 * in the run's messages): they are `shownAsIs`, with the names of the variables, so a short secret
 * that happens to be part of a path does not hide the path a failing server's hint names.
 */
export function expandMcpServers(
  servers: Record<string, ResolvedMcpServer>,
  env: Environment,
  sop: { displayPath: string; file: string },
): { servers: Record<string, ResolvedMcpServer>; secrets: string[]; shownAsIs: string[] } {
  const sopPath = sop.displayPath;
  const secrets: string[] = [];
  const shownAsIs: string[] = [];
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
    const command = server.command?.map((part, index) => expandEnv(part, env, `${key}.command[${index}]`, sopPath));
    const cwd = server.cwd === undefined ? undefined : path.resolve(path.dirname(sop.file), expandEnv(server.cwd, env, `${key}.cwd`, sopPath));
    const secretFields = { ...server.env, ...server.headers, ...(server.url === undefined ? {} : { url: server.url }) };
    // A variable whose value is a secret stays masked, even in a command or folder that names it.
    const secretVariables = new Set(Object.values(secretFields).flatMap(envReferences));
    const public_ = (declared: string): boolean => envReferences(declared).every((variable) => !secretVariables.has(variable));
    if (command && server.command?.every(public_)) shownAsIs.push(command.join(' '), ...command);
    if (cwd !== undefined && server.cwd !== undefined && public_(server.cwd)) shownAsIs.push(cwd);
    const readsEnv = secretFieldsReading(server);
    shownAsIs.push(...readsEnv.flatMap(({ field, variables }) => [field, ...variables, ...variables.map((variable) => `\${env:${variable}}`)]));
    result[name] = {
      ...server,
      command,
      cwd,
      ...(server.url === undefined ? {} : { url: expandEnv(server.url, env, `mcp_servers.${name}.url`, sopPath) }),
      env: expand(server.env, `mcp_servers.${name}.env`),
      headers: expand(server.headers, `mcp_servers.${name}.headers`),
      ...(readsEnv.length > 0 ? { readsEnv } : {}),
    };
  }
  return { servers: result, secrets, shownAsIs };
}

/** The `env` and `headers` entries that take a variable's value (`env.NOTES_TOKEN` from `NOTES_TOKEN`), for a failing server's hint. */
function secretFieldsReading(server: ResolvedMcpServer): Array<{ field: string; variables: string[] }> {
  return (['env', 'headers'] as const).flatMap((kind) =>
    Object.entries(server[kind])
      .map(([name, value]) => ({ field: `${kind}.${name}`, variables: [...new Set(envReferences(value))] }))
      .filter(({ variables }) => variables.length > 0),
  );
}
