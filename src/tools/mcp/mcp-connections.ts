import { statSync } from 'node:fs';
// The SDK (and zod with it) is loaded when a server is first started, not by every run and command.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SopError } from '../../errors/index.js';
import type { ResolvedMcpServer } from '../../spec/resolved.js';
import { RUNNER_VERSION } from '../../version.js';
import { capOutput, toolError } from '../output-cap.js';
import type { Tool, ToolContext, ToolLimits, ToolResult } from '../types.js';
import { outputSchemaValidator } from './output-schemas.js';
import { trackServerProcess, type ServerProcess } from './server-process.js';
import { serverErrorLine, serverFixHint, StderrTail } from './stderr-tail.js';
import { servedTools, type ListedTool, type RefusedTool, type SkippedTool } from './served-tools.js';
import { mcpToolProblem, rawToolPage, toolListIssues, toolListProblem, toolsOnly, type ToolListProblem } from './tool-list-problems.js';

/** A server's tools the run can offer, and those it lists that the run cannot (each with why). */
export interface ServedTools {
  tools: Tool[];
  skipped: SkippedTool[];
  /** The name of every tool the server lists, `allowed_tools` or not: what a misspelt tool name is compared with. */
  listed: string[];
}

interface Connection extends ServedTools {
  client: Client;
  close(): Promise<void>;
}

/** The least time a server gets to start and list its tools, whatever its call `timeout`. */
const STARTUP_TIMEOUT_MS = 30_000;

/** MCP's `ErrorCode.ConnectionClosed`: the SDK's error for a request whose server went away. */
const CONNECTION_CLOSED = -32000;

/**
 * The run's MCP servers: each is started (stdio) or connected (streamable HTTP) on the first
 * action that offers its tools, once, and closed when the run ends. Its tools are named
 * `<server>.<tool>`. Failing to connect or to list is an `MCP_SERVER_FAILED` error (the run cannot
 * offer what it cannot list); one bad tool in the list (not valid MCP, its name listed twice, an
 * input schema that does not compile) is skipped, with why, and the others are offered; a failing
 * call is an error result the model sees.
 */
export class McpConnections {
  private readonly connections = new Map<string, Promise<Connection>>();

  constructor(
    private readonly servers: readonly ResolvedMcpServer[],
    private readonly limits: ToolLimits,
    /** The run's secret mask: what a server said is masked before its line is cut to be quoted. */
    private readonly mask: (text: string) => string = (text) => text,
  ) {}

  tools(serverName: string): Promise<ServedTools> {
    let connection = this.connections.get(serverName);
    if (!connection) {
      const server = this.servers.find((candidate) => candidate.name === serverName);
      if (!server) return Promise.reject(new SopError('TOOL_UNKNOWN', `no MCP server "${serverName}"`, { hint: 'declare it under mcp_servers' }));
      connection = this.connect(server);
      this.connections.set(serverName, connection);
    }
    return connection.then(({ tools, skipped, listed }) => ({ tools, skipped, listed }));
  }

  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    // A server that failed to start, or fails to stop, must not fail the run's ending.
    await Promise.all(open.map((connection) => connection.then((value) => value.close()).catch(() => undefined)));
  }

  private async connect(server: ResolvedMcpServer): Promise<Connection> {
    const stderr = new StderrTail();
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const client = new Client({ name: 'sop', version: RUNNER_VERSION }, { jsonSchemaValidator: outputSchemaValidator });
    // `timeout` bounds tool calls; starting a server (npx may first download it, a busy machine starts
    // node slowly) gets at least STARTUP_TIMEOUT_MS.
    const timeoutMs = Math.max((server.timeoutSeconds ?? this.limits.timeoutSeconds) * 1000, STARTUP_TIMEOUT_MS);
    const fail = (what: string, error: unknown, listed?: ToolListProblem): SopError => {
      const { file, line, column } = server.origin;
      const place = `${file}:${line}:${column}: MCP server "${server.name}": ${what}`;
      // The server is up and answered: what it said is wrong, not that it stopped.
      if (listed) return new SopError('MCP_SERVER_FAILED', `${place}: ${listed.message}`, { hint: listed.hint, cause: error });
      // The variables the server was given, by name: their values are masked wherever they are quoted.
      const given = (server.readsEnv ?? []).map(({ field, variables }) => `\`${field}\` from ${variables.map((variable) => `\${env:${variable}}`).join(', ')}`);
      const fromEnv = given.length === 0 ? '' : `; it was given ${given.join(', ')} (values masked)`;
      if (!server.command) {
        return new SopError('MCP_SERVER_FAILED', `${place}: ${(error as Error)?.message ?? String(error)}`, { hint: `check that ${server.url} serves MCP (streamable HTTP)${fromEnv}`, cause: error });
      }
      // A stdio server that could not start, or stopped before it listed its tools: where it started (a queued run's worker) may be why.
      const startedWhere = server.startHint === undefined ? '' : `; ${server.startHint}`;
      // Node says "spawn node ENOENT" for a missing working folder too, as if the program were missing.
      if (server.cwd !== undefined && (error as NodeJS.ErrnoException)?.code === 'ENOENT' && !isFolder(server.cwd)) {
        return new SopError('MCP_SERVER_FAILED', `${place}: its working folder ${server.cwd} does not exist (\`cwd\`)`, {
          hint: `create ${server.cwd}, or correct the server's \`cwd\` (relative to the SOP's folder)${startedWhere}`,
          cause: error,
        });
      }
      const program = server.command[0] as string;
      const command = server.command.join(' ');
      const folder = server.cwd ?? process.cwd();
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT' && (error as NodeJS.ErrnoException)?.syscall?.startsWith('spawn')) {
        // Node's "spawn nodejs ENOENT": the program is not installed, or not on the PATH the server gets.
        return new SopError('MCP_SERVER_FAILED', `${place}: cannot start \`${program}\`: command not found`, {
          hint: `is \`${program}\` installed and on PATH? \`${command}\` is started from ${folder} without a shell (no aliases or shell functions); an npm package runs as \`command: [npx, -y, PACKAGE]\`${fromEnv}${startedWhere}`,
          cause: error,
        });
      }
      // What the server printed as it stopped, in one line (its whole stack trace was pasted into
      // the message, and from there into every `sop test` expectation it failed).
      const said = serverErrorLine(this.mask(stderr.text()));
      const why = said === undefined ? ((error as Error)?.message ?? String(error)) : `\`${command}\` stopped: ${said}`;
      return new SopError('MCP_SERVER_FAILED', `${place}: ${why}`, {
        hint: (said === undefined ? `check that \`${command}\` starts an MCP server (stdio) from ${folder}` : serverFixHint(said, command, folder)) + fromEnv + startedWhere,
        cause: error,
      });
    };
    let serverProcess: ServerProcess | undefined;
    try {
      const started = await this.transport(server, stderr);
      serverProcess = started.process;
      await client.connect(started.transport, { timeout: timeoutMs });
    } catch (error) {
      await client.close().catch(() => undefined);
      await serverProcess?.end();
      throw fail('cannot connect', error);
    }
    let cursor: string | undefined;
    try {
      const listed: ListedTool[] = [];
      const refused: RefusedTool[] = [];
      do {
        const page = await listPage(client, cursor, timeoutMs, listed.length + refused.length);
        listed.push(...page.tools);
        refused.push(...page.refused);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const { usable, skipped } = servedTools(listed, refused, server.allowedTools);
      const tools = usable.map((tool): Tool => ({
        name: `${server.name}.${tool.name}`,
        description: tool.description ?? tool.title ?? tool.name,
        parameters: tool.inputSchema,
        // MCP's ToolAnnotations default `readOnlyHint` to false: only a tool that says it reads is taken at its word.
        ...(tool.annotations?.readOnlyHint === true ? {} : { changesOutsideWorkspace: true }),
        run: (args, context) => this.call(client, server, tool.name, args, context, stderr),
      }));
      const names = [...listed, ...refused].flatMap((tool) => (typeof tool.name === 'string' ? [tool.name] : []));
      return { client, tools, skipped, listed: names, close: () => client.close() };
    } catch (error) {
      const issues = toolListIssues(error);
      const listed = issues && toolListProblem(issues, (await rawToolPage(client, cursor, timeoutMs))?.tools);
      await client.close().catch(() => undefined);
      await serverProcess?.end();
      throw fail('cannot list its tools', error, listed);
    }
  }

  /** The server's transport, and for a stdio server its process, to end when starting it fails. */
  private async transport(server: ResolvedMcpServer, stderr: StderrTail): Promise<{ transport: Transport; process?: ServerProcess }> {
    if (server.command) {
      const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
      const [command, ...args] = server.command;
      // The SDK adds only HOME, LOGNAME, PATH, SHELL, TERM and USER to what is given here: API keys and SOP_* never reach the server.
      const transport = new StdioClientTransport({ command: command as string, args, env: server.env, stderr: 'pipe', ...(server.cwd ? { cwd: server.cwd } : {}) });
      transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      return { transport, process: trackServerProcess(transport) };
    }
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    return { transport: new StreamableHTTPClientTransport(new URL(server.url as string), { requestInit: { headers: server.headers } }) };
  }

  private async call(client: Client, server: ResolvedMcpServer, name: string, args: Record<string, unknown>, { signal, maskParts }: ToolContext, stderr: StderrTail): Promise<ToolResult> {
    const seconds = server.timeoutSeconds ?? this.limits.timeoutSeconds;
    try {
      // The SDK never removes the abort listener it adds to the signal it is given: a per-call signal
      // keeps the run's from collecting one per call (and Node's MaxListenersExceededWarning after 10).
      const callSignal = signal ? { signal: AbortSignal.any([signal]) } : {};
      const result = await client.callTool({ name, arguments: args }, undefined, { timeout: seconds * 1000, ...callSignal });
      const parts = Array.isArray(result.content) ? result.content : [];
      // Masked before the cut (a server echoing its `${env:NAME}` token): no cut leaves part of it.
      const text = parts.map(describePart).join('\n');
      return { content: capOutput(text, this.limits.maxOutputBytes, maskParts), isError: result.isError === true };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      // A stdio server that died (during this call, or before it: "Not connected") said why on its
      // stderr, which the SDK's "Connection closed" leaves out.
      if (server.command && (message === 'Not connected' || (error as { code?: unknown })?.code === CONNECTION_CLOSED)) {
        const said = serverErrorLine(this.mask(stderr.text()));
        return toolError(`MCP server "${server.name}" stopped${said === undefined ? '' : `: ${said}`}; its tools cannot be called again in this run`);
      }
      return toolError(/timed out|timeout/i.test(message) ? `no answer from MCP server "${server.name}" within ${seconds} s` : `MCP server "${server.name}" failed: ${message}`);
    }
  }
}

/**
 * One page of the server's tool list. A page the SDK refuses for some of its tools only is read
 * again unchecked, and each tool judged on its own: the valid ones are listed, the others refused
 * with what MCP's schema finds wrong. `before` counts the tools of the pages before (for positions).
 * (The SDK then checks no structured result of that page's tools against their `outputSchema`: the
 * model is handed their text content either way.)
 */
async function listPage(client: Client, cursor: string | undefined, timeoutMs: number, before: number): Promise<{ tools: ListedTool[]; refused: RefusedTool[]; nextCursor: string | undefined }> {
  try {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
    return { tools: page.tools as ListedTool[], refused: [], nextCursor: page.nextCursor };
  } catch (error) {
    const issues = toolListIssues(error);
    const raw = issues && toolsOnly(issues) ? await rawToolPage(client, cursor, timeoutMs) : undefined;
    if (!raw) throw error;
    const tools: ListedTool[] = [];
    const refused: RefusedTool[] = [];
    for (const [index, tool] of raw.tools.entries()) {
      const problem = await mcpToolProblem(tool);
      if (problem === undefined) tools.push(tool as ListedTool);
      else {
        const name = (tool as { name?: unknown } | null)?.name;
        refused.push({ name: typeof name === 'string' ? name : undefined, position: before + index + 1, problem });
      }
    }
    return { tools, refused, nextCursor: raw.nextCursor };
  }
}

/** A content part as text: text as is, anything else named with its type and size. */
function describePart(part: Record<string, unknown>): string {
  if (part['type'] === 'text') return String(part['text'] ?? '');
  if (part['type'] === 'image' || part['type'] === 'audio') return `[${String(part['mimeType'] ?? part['type'])}, ${Math.floor((String(part['data'] ?? '').length * 3) / 4)} bytes]`;
  if (part['type'] === 'resource') {
    const resource = (part['resource'] ?? {}) as Record<string, unknown>;
    return typeof resource['text'] === 'string' ? resource['text'] : `[resource ${String(resource['uri'] ?? '')}]`;
  }
  if (part['type'] === 'resource_link') return `[resource ${String(part['uri'] ?? '')}]`;
  return `[${String(part['type'])}]`;
}

function isFolder(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
