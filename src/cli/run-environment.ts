import { envReferences, expandEnv } from '../config/env-refs.js';
import type { Environment } from '../config/types.js';
import type { RunEnvironment } from '../runtime/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { expandEnvAt, expandMcpServers } from './mcp-servers.js';

/**
 * The SOP's `${env:NAME}` references read as the run starts, so an unset variable stops it before any
 * work (CONFIG_ENV_MISSING naming the variable, the field using it and the SOP): MCP servers' and the
 * headers of declared HTTP tools (a token the SOP file must not hold). Every value read for a header
 * is a secret, masked in everything the run writes and prints and in what tools hand the model.
 */
export function runEnvironment(sop: ResolvedSop, env: Environment): RunEnvironment {
  const mcp = Object.keys(sop.mcpServers).length > 0 ? expandMcpServers(sop.mcpServers, env, sop) : undefined;
  const httpToolEnv: Record<string, string> = {};
  for (const tool of Object.values(sop.tools)) {
    for (const [header, value] of Object.entries(tool.http?.headers ?? {})) {
      if (envReferences(value.text).length === 0) continue;
      // Throws for an unset variable, naming it and `tools.NAME.http.headers.HEADER`.
      expandEnvAt(value.origin, () => expandEnv(value.text, env, `tools.${tool.name}.http.headers.${header}`, sop.displayPath));
      for (const name of envReferences(value.text)) httpToolEnv[name] = env[name] as string;
    }
  }
  const secrets = [...(mcp?.secrets ?? []), ...Object.values(httpToolEnv)];
  return {
    ...(mcp ? { mcpServers: mcp.servers, shownAsIs: mcp.shownAsIs } : {}),
    ...(Object.keys(httpToolEnv).length > 0 ? { httpToolEnv } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
  };
}
