import path from 'node:path';
import { joinPointer } from './pointer.js';
import { resolveCommand } from './resolve-action.js';
import type { ResolveContext } from './resolve-context.js';
import type { ResolvedMcpServer, ResolvedToolDeclaration, ResolvedToolSettings, SourceOrigin, TemplateText } from './resolved.js';
import type { SOP } from './sop.types.generated.js';

/** Defaults of `settings.tools`. */
export const DEFAULT_TOOL_SETTINGS = { maxCalls: 8, timeoutSeconds: 30, maxOutputBytes: 16 * 1024 } as const;

export function resolveToolSettings(settings: NonNullable<SOP['settings']>['tools']): ResolvedToolSettings {
  return {
    maxCalls: settings?.max_calls ?? DEFAULT_TOOL_SETTINGS.maxCalls,
    timeoutSeconds: settings?.timeout ?? DEFAULT_TOOL_SETTINGS.timeoutSeconds,
    maxOutputBytes: settings?.max_output_bytes ?? DEFAULT_TOOL_SETTINGS.maxOutputBytes,
    shell: { allow: [...(settings?.shell?.allow ?? [])], env: { ...settings?.shell?.env } },
    http: { allowHosts: (settings?.http?.allow_hosts ?? []).map((host) => host.toLowerCase()) },
  };
}

/** The tools declared under `tools`; their templates render over `args`. */
export function resolveToolDeclarations(tools: SOP['tools'], context: ResolveContext): Record<string, ResolvedToolDeclaration> {
  const resolved: Record<string, ResolvedToolDeclaration> = {};
  for (const [name, tool] of Object.entries(tools ?? {})) {
    const pointer = joinPointer('/tools', name);
    const http = tool.http;
    const headers: Record<string, TemplateText> = {};
    for (const [header, value] of Object.entries(http?.headers ?? {})) headers[header] = context.template(value, joinPointer(pointer, 'http', 'headers', header));
    resolved[name] = {
      name,
      description: tool.description,
      parameters: (tool.parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
      command: tool.command === undefined ? undefined : resolveCommand(tool.command, joinPointer(pointer, 'command'), context),
      http:
        http === undefined
          ? undefined
          : {
              method: http.method ?? 'GET',
              url: context.template(http.url, joinPointer(pointer, 'http', 'url')),
              headers,
              body: http.body === undefined ? undefined : context.template(http.body, joinPointer(pointer, 'http', 'body')),
              timeoutSeconds: http.timeout,
            },
      pointer,
    };
  }
  return resolved;
}

/** The MCP servers under `mcp_servers`; `cwd` is made absolute against the SOP's folder (unless it waits for `${env:NAME}`). */
export function resolveMcpServers(servers: SOP['mcp_servers'], sopDir: string, context: ResolveContext): Record<string, ResolvedMcpServer> {
  const resolved: Record<string, ResolvedMcpServer> = {};
  for (const [name, server] of Object.entries(servers ?? {})) {
    resolved[name] = {
      name,
      command: server.command === undefined ? undefined : [...server.command],
      // A folder naming `${env:NAME}` is made absolute once the run has expanded it (`expandMcpServers`).
      cwd: server.command === undefined ? undefined : server.cwd?.includes('${env:') ? server.cwd : path.resolve(sopDir, server.cwd ?? '.'),
      env: { ...server.env },
      url: server.url,
      headers: { ...server.headers },
      allowedTools: server.allowed_tools === undefined ? undefined : [...server.allowed_tools],
      timeoutSeconds: server.timeout,
      origin: serverOrigin(joinPointer('/mcp_servers', name), context),
      allowedToolOrigins: (server.allowed_tools ?? []).map((_, index) => valueOrigin(joinPointer('/mcp_servers', name, 'allowed_tools', index), context)),
      fieldOrigins: Object.fromEntries([
        ...(server.cwd === undefined ? [] : [['cwd', valueOrigin(joinPointer('/mcp_servers', name, 'cwd'), context)] as const]),
        ...(server.url === undefined ? [] : [['url', valueOrigin(joinPointer('/mcp_servers', name, 'url'), context)] as const]),
        ...(server.command ?? []).map((_, index) => [`command/${index}`, valueOrigin(joinPointer('/mcp_servers', name, 'command', index), context)] as const),
        ...(['env', 'headers'] as const).flatMap((kind) =>
          Object.keys(server[kind] ?? {}).map((key) => [`${kind}/${key}`, valueOrigin(joinPointer('/mcp_servers', name, kind, key), context)] as const),
        ),
      ]),
    };
  }
  return resolved;
}

/** Where a server is declared: its name, so a failure to start it points at the declaration. */
function serverOrigin(pointer: string, context: ResolveContext): SourceOrigin {
  return { file: context.file, ...context.sourceMap.locate(pointer, 'key'), pointer, lineOffset: 0 };
}

/** Where a value of a server's declaration is written. */
function valueOrigin(pointer: string, context: ResolveContext): SourceOrigin {
  return { file: context.file, ...context.sourceMap.locate(pointer), pointer, lineOffset: 0 };
}
