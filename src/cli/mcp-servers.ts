import path from 'node:path';
import { envReferences, expandEnv } from '../config/env-refs.js';
import type { Environment } from '../config/types.js';
import { SopError } from '../errors/index.js';
import type { ResolvedMcpServer, SourceOrigin } from '../spec/resolved.js';

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
  const result: Record<string, ResolvedMcpServer> = {};
  for (const [name, server] of Object.entries(servers)) {
    const key = `mcp_servers.${name}`;
    // Each value expanded where it is written: an unset variable is said at that line.
    const at = (field: string, text: string, used: string): string => expandEnvAt(server.fieldOrigins?.[field] ?? server.origin, () => expandEnv(text, env, used, sopPath));
    const expand = (kind: 'env' | 'headers'): Record<string, string> => {
      const expanded: Record<string, string> = {};
      for (const [entry, value] of Object.entries(server[kind])) {
        expanded[entry] = at(`${kind}/${entry}`, value, `${key}.${kind}.${entry}`);
        if (envReferences(value).length > 0) secrets.push(expanded[entry] as string);
      }
      return expanded;
    };
    const command = server.command?.map((part, index) => at(`command/${index}`, part, `${key}.command[${index}]`));
    const cwd = server.cwd === undefined ? undefined : path.resolve(path.dirname(sop.file), at('cwd', server.cwd, `${key}.cwd`));
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
      ...(server.url === undefined ? {} : { url: at('url', server.url, `${key}.url`) }),
      env: expand('env'),
      headers: expand('headers'),
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

/**
 * `expand()`, its unset variable (CONFIG_ENV_MISSING) located at the SOP line that names it, as a
 * configuration file's is: `file:line:col` on the error line, a CI annotation and `--json`'s
 * `file`/`line`/`column` point there.
 */
export function expandEnvAt(origin: SourceOrigin, expand: () => string): string {
  try {
    return expand();
  } catch (error) {
    if (!(error instanceof SopError) || error.code !== 'CONFIG_ENV_MISSING' || error.diagnostics.length > 0) throw error;
    const hint = error.hint === undefined ? {} : { hint: error.hint };
    // Shown at its `file:line:col`: the message need not name the file again.
    const message = error.message.replace(` in ${origin.file})`, ')');
    const place = { file: origin.file, line: origin.line, column: origin.column, pointer: origin.pointer };
    throw new SopError(error.code, error.message, { ...hint, diagnostics: [{ code: error.code, severity: 'error', message, ...place, ...hint }] });
  }
}
