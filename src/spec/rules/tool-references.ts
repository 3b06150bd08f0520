import { joinPointer } from '../pointer.js';
import { closestMatch, didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

/** The built-in tools (docs/tools-and-gates.md). */
export const BUILTIN_TOOLS = ['fs.read', 'fs.write', 'fs.list', 'fs.search', 'shell', 'http.get'] as const;

/**
 * TOOL_UNKNOWN: every name in an action's `tools` is a built-in, a tool declared under `tools`, or
 * `<server>.<tool>` / `<server>.*` of a server under `mcp_servers` (within its `allowed_tools`).
 * TOOL_INVALID: `shell` without an allow-list, `http.get` without allowed hosts. Also: tools on a
 * command action (no model to call them), a name listed twice and `max_tool_calls` without tools
 * (warnings).
 */
export function toolReferences(context: RuleContext): void {
  const { document, sop } = context;
  const declared = Object.keys(sop.tools);
  const servers = sop.mcpServers;
  const known = [...BUILTIN_TOOLS, ...declared, ...Object.keys(servers).map((server) => `${server}.*`)];
  for (const [roleId, role] of Object.entries(document.roles)) {
    role.actions.forEach((action, actionIndex) => {
      const base = joinPointer('/roles', roleId, 'actions', actionIndex);
      const names = action.tools ?? [];
      if (names.length > 0 && action.run !== undefined) {
        context.sink.error('SCHEMA_VIOLATION', joinPointer(base, 'tools'), `action \`${action.id}\` runs a command: no model is there to call tools`, {
          at: 'key',
          expected: '`tools` on an action with a `prompt` (the model calls them)',
          hint: 'remove `tools`, or give the action a `prompt` instead of `run`',
        });
      }
      if (names.length === 0 && action.max_tool_calls !== undefined) {
        context.sink.warning('TOOL_INVALID', joinPointer(base, 'max_tool_calls'), `action \`${action.id}\` offers no tools: \`max_tool_calls\` has no effect`, {
          at: 'key',
          hint: 'list the tools under `tools:`, or remove `max_tool_calls`',
        });
      }
      const seen = new Set<string>();
      names.forEach((name, index) => {
        const pointer = joinPointer(base, 'tools', index);
        if (seen.has(name)) context.sink.warning('DUPLICATE_ID', pointer, `tool \`${name}\` is listed twice in action \`${action.id}\``, { hint: 'list each tool once' });
        seen.add(name);
        const problem = toolProblem(name, declared, servers, sop.settings.tools);
        if (!problem) return;
        context.sink.error(problem.code, pointer, problem.message, {
          expected: problem.expected ?? `a tool: ${listNames(known)}`,
          hint: problem.hint ?? didYouMean(name, known) ?? 'declare it under `tools:` or `mcp_servers:`, or use a built-in tool',
        });
      });
    });
  }
}

interface Problem {
  code: 'TOOL_UNKNOWN' | 'TOOL_INVALID';
  message: string;
  expected?: string;
  hint?: string;
}

function toolProblem(
  name: string,
  declared: string[],
  servers: RuleContext['sop']['mcpServers'],
  settings: RuleContext['sop']['settings']['tools'],
): Problem | undefined {
  if (name === 'shell') {
    return settings.shell.allow.length > 0
      ? undefined
      : {
          code: 'TOOL_INVALID',
          message: '`shell` is offered but no program is allowed',
          expected: 'an allow-list: `settings: { tools: { shell: { allow: [program, ...] } } }`',
          hint: 'list the programs the model may run (e.g. `allow: [python3]`), or remove `shell`',
        };
  }
  if (name === 'http.get') {
    return settings.http.allowHosts.length > 0
      ? undefined
      : {
          code: 'TOOL_INVALID',
          message: '`http.get` is offered but no host is allowed',
          expected: 'allowed hosts: `settings: { tools: { http: { allow_hosts: [host, ...] } } }`',
          hint: 'list the hosts the model may fetch from (e.g. `allow_hosts: [api.github.com]`), or remove `http.get`',
        };
  }
  if ((BUILTIN_TOOLS as readonly string[]).includes(name) || declared.includes(name)) return undefined;
  const dot = name.indexOf('.');
  const server = dot > 0 ? servers[name.slice(0, dot)] : undefined;
  if (!server) return dot > 0 ? unknownServer(name.slice(0, dot), name.slice(dot + 1), servers) : { code: 'TOOL_UNKNOWN', message: `no tool \`${name}\`` };
  const tool = name.slice(dot + 1);
  if (tool === '*' || server.allowedTools === undefined || server.allowedTools.includes(tool)) return undefined;
  return {
    code: 'TOOL_UNKNOWN',
    message: `MCP server \`${server.name}\` does not allow tool \`${tool}\``,
    expected: `one of its allowed_tools: ${listNames(server.allowedTools)}`,
    hint: didYouMean(tool, server.allowedTools) ?? `add \`${tool}\` to mcp_servers.${server.name}.allowed_tools`,
  };
}

/**
 * `notse.search` where the server is `notes`: the nearest server name said with the tool as it would
 * read, since the name as a whole is many edits from `notes.*` and got no hint.
 */
function unknownServer(serverName: string, tool: string, servers: RuleContext['sop']['mcpServers']): Problem {
  const names = Object.keys(servers);
  const near = closestMatch(serverName, names);
  if (near === undefined) return { code: 'TOOL_UNKNOWN', message: `no tool \`${serverName}.${tool}\`` };
  return {
    code: 'TOOL_UNKNOWN',
    message: `no tool \`${serverName}.${tool}\`: no MCP server \`${serverName}\``,
    expected: `a server under mcp_servers: ${listNames(names)}`,
    hint: `did you mean \`${near}.${tool}\`?`,
  };
}
