import { SopError } from '../errors/index.js';
import type { ResolvedAction, ResolvedMcpServer, ResolvedSop, SourceOrigin } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import type { Workspace } from '../store/index.js';
import { McpConnections, createCommandTool, createFsTools, createHttpGetTool, createHttpTool, createShellTool, type ServedTools, type SkippedTool } from '../tools/index.js';
import type { Tool, ToolLimits } from '../tools/types.js';
import type { Compiled } from './compiled.js';

/** Told, once per run and server, of the tools the server lists that the run does not offer. */
export type SkippedToolsReport = (server: string, skipped: readonly SkippedTool[]) => void;

/** The tools a run can offer, built on first use: MCP servers start only when an action offers their tools. */
export interface RunToolbox {
  /**
   * The tools of an action's `tools` list, in its order (`server.*` expands to the server's allowed
   * tools). `report` hears of a server's skipped tools when the server is first listed.
   */
  toolsFor(action: ResolvedAction, report: SkippedToolsReport): Promise<Tool[]>;
  /** Stops MCP servers; called when the run ends. */
  close(): Promise<void>;
}

export function createRunToolbox(
  sop: ResolvedSop,
  workspace: Workspace,
  compiled: Compiled,
  mcpServers: Record<string, ResolvedMcpServer>,
  httpToolEnv: Record<string, string> = {},
  mask: (text: string) => string = (text) => text,
): RunToolbox {
  const settings = sop.settings.tools;
  const limits: ToolLimits = { timeoutSeconds: settings.timeoutSeconds, maxOutputBytes: settings.maxOutputBytes };
  const render = (template: Parameters<Compiled['render']>[0], vars: Record<string, unknown>): string => compiled.render(template, vars);
  let builtins: Map<string, Tool> | undefined;
  const builtin = (name: string): Tool | undefined => {
    builtins ??= new Map(
      [
        ...createFsTools(workspace, limits),
        ...(settings.shell.allow.length > 0 ? [createShellTool({ allow: settings.shell.allow, env: settings.shell.env, workspace, limits })] : []),
        ...(settings.http.allowHosts.length > 0 ? [createHttpGetTool({ allowHosts: settings.http.allowHosts, limits })] : []),
      ].map((tool) => [tool.name, tool]),
    );
    return builtins.get(name);
  };
  const declared = new Map<string, Tool>();
  const declaredTool = (name: string): Tool | undefined => {
    const declaration = sop.tools[name];
    if (!declaration) return undefined;
    let tool = declared.get(name);
    if (!tool) {
      tool = declaration.command ? createCommandTool(declaration, render, { workspace, limits }) : createHttpTool(declaration, render, { limits, env: httpToolEnv });
      declared.set(name, tool);
    }
    return tool;
  };
  const mcp = new McpConnections(Object.values(mcpServers), limits, mask);
  const byAction = new Map<string, Promise<Tool[]>>();
  const served = new Map<string, Promise<ServedTools>>();
  /** A server's tools, its skipped ones reported (and refused where an action names one) when it is first listed. */
  const serve = (server: string, report: SkippedToolsReport): Promise<ServedTools> => {
    let tools = served.get(server);
    if (!tools) {
      tools = mcp.tools(server).then((listed) => {
        if (listed.skipped.length > 0) {
          report(server, listed.skipped);
          const named = namedSkippedTool(sop, mcpServers[server] as ResolvedMcpServer, listed.skipped);
          if (named) throw named;
        }
        const misspelt = unlistedAllowedTool(sop, mcpServers[server] as ResolvedMcpServer, listed.listed);
        if (misspelt) throw misspelt;
        return listed;
      });
      served.set(server, tools);
    }
    return tools;
  };

  const resolve = async (action: ResolvedAction, report: SkippedToolsReport): Promise<Tool[]> => {
    const tools: Tool[] = [];
    for (const name of action.tools) {
      const found = builtin(name) ?? declaredTool(name);
      if (found) {
        tools.push(found);
        continue;
      }
      const [server, toolName] = splitMcpName(name);
      if (server === undefined || !mcpServers[server]) throw unknownTool(action, name);
      const { tools: offered, listed } = await serve(server, report);
      if (toolName === '*') {
        tools.push(...offered);
        continue;
      }
      const match = offered.find((tool) => tool.name === name);
      if (!match) throw unlistedTool(action, mcpServers[server] as ResolvedMcpServer, toolName as string, listed);
      tools.push(match);
    }
    // One tool offered twice (`docs.*` and `docs.search`) is offered once.
    return [...new Set(tools)];
  };

  return {
    toolsFor(action, report) {
      let tools = byAction.get(action.id);
      if (!tools) {
        tools = resolve(action, report);
        byAction.set(action.id, tools);
      }
      return tools;
    },
    close: () => mcp.close(),
  };
}

/**
 * A skipped tool that an action names (`calc.broken`, not `calc.*`): the action cannot have it, so
 * the run stops as soon as the server is listed (before the model call of the action that listed it,
 * whichever action names the tool), naming it.
 */
function namedSkippedTool(sop: ResolvedSop, server: ResolvedMcpServer, skipped: readonly SkippedTool[]): SopError | undefined {
  for (const role of sop.roles) {
    for (const action of role.actions) {
      const tool = skipped.find((candidate) => action.tools.includes(`${server.name}.${candidate.tool}`));
      if (!tool) continue;
      const { file, line, column } = server.origin;
      return new SopError('MCP_SERVER_FAILED', `${file}:${line}:${column}: MCP server "${server.name}": tool \`${tool.tool}\`, which action \`${action.id}\` (role \`${role.id}\`) offers, cannot be used: ${tool.reason}`, {
        hint: `fix the tool in the server (or use a version of the server that does), or take \`${server.name}.${tool.tool}\` out of the action's tools (\`${server.name}.*\` offers the server's other tools)`,
      });
    }
  }
  return undefined;
}

/**
 * An action's `server.tool` that the server does not list: `sop validate` checks the name against
 * `allowed_tools` only (it starts no server), so a name misspelt in both got this far. Said at the
 * action's `tools` entry, the line to correct (it was said at the server's declaration), with the
 * nearest name the server lists: the tools offered (`allowed_tools` less the misspelt one) were
 * listed before, which read as if the server lacked the tool meant.
 */
function unlistedTool(action: ResolvedAction, server: ResolvedMcpServer, toolName: string, listed: readonly string[]): SopError {
  const { file, line, column } = toolEntryOrigin(action, `${server.name}.${toolName}`) ?? server.origin;
  const inAllowed = server.allowedTools?.includes(toolName) === true;
  const near = didYouMean(toolName, listed);
  return new SopError('TOOL_UNKNOWN', `${file}:${line}:${column}: MCP server "${server.name}" lists no tool \`${toolName}\`, which action \`${action.id}\` (role \`${action.roleId}\`) offers${inAllowed ? ' and its `allowed_tools` names' : ''}`, {
    hint: `${near === undefined ? '' : `${near} `}the server lists: ${listNames(listed)}; correct \`${server.name}.${toolName}\` in the action's \`tools\`${inAllowed ? ` and \`${toolName}\` in \`allowed_tools\`` : ''}`,
  });
}

/**
 * An `allowed_tools` entry the server does not list (`serch_nodes`): `server.*` offered the others
 * and the misspelt tool was silently missing. An entry an action also names as `server.tool` is left
 * to `unlistedTool`, which names both places. Said at the entry, with the nearest name listed.
 */
function unlistedAllowedTool(sop: ResolvedSop, server: ResolvedMcpServer, listed: readonly string[]): SopError | undefined {
  const named = new Set(sop.roles.flatMap((role) => role.actions.flatMap((action) => action.tools)));
  const index = (server.allowedTools ?? []).findIndex((tool) => !listed.includes(tool) && !named.has(`${server.name}.${tool}`));
  if (index < 0) return undefined;
  const tool = server.allowedTools?.[index] as string;
  const { file, line, column } = server.allowedToolOrigins?.[index] ?? server.origin;
  const near = didYouMean(tool, listed);
  return new SopError('TOOL_UNKNOWN', `${file}:${line}:${column}: MCP server "${server.name}" lists no tool \`${tool}\`, which its \`allowed_tools\` names`, {
    hint: `${near === undefined ? '' : `${near} `}the server lists: ${listNames(listed)}; correct \`${tool}\` in \`allowed_tools\`, or remove it`,
  });
}

/** Where an action's `tools` entry naming `name` is written (none for an action built without origins). */
function toolEntryOrigin(action: ResolvedAction, name: string): SourceOrigin | undefined {
  const index = action.tools.indexOf(name);
  return index < 0 ? undefined : action.toolOrigins?.[index];
}

function splitMcpName(name: string): [string | undefined, string | undefined] {
  const dot = name.indexOf('.');
  return dot <= 0 ? [undefined, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
}

function unknownTool(action: ResolvedAction, name: string): SopError {
  return new SopError('TOOL_UNKNOWN', `action ${action.id}: no tool "${name}"`, {
    hint: '`sop validate` lists the tools an SOP can use; `shell` needs settings.tools.shell.allow and `http.get` settings.tools.http.allow_hosts',
  });
}
