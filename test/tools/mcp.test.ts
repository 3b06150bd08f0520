import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedMcpServer } from '../../src/spec/resolved.js';
import { McpConnections } from '../../src/tools/index.js';

const SERVER = fileURLToPath(new URL('../support/mcp/test-server.mjs', import.meta.url));
const REPO = path.resolve(path.dirname(SERVER), '../../..');
const LIMITS = { timeoutSeconds: 5, maxOutputBytes: 4096 };

const stdio = (extra: Partial<ResolvedMcpServer> = {}): ResolvedMcpServer => ({
  name: 'calc',
  command: ['node', SERVER],
  cwd: REPO,
  env: {},
  url: undefined,
  headers: {},
  allowedTools: undefined,
  timeoutSeconds: undefined,
  origin: { file: 'team.yaml', line: 12, column: 3, pointer: '/mcp_servers/calc', lineOffset: 0 },
  ...extra,
});

const open: McpConnections[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((connections) => connections.close()));
  for (const child of children.splice(0)) child.kill();
});

function connections(servers: ResolvedMcpServer[], limits = LIMITS): McpConnections {
  const created = new McpConnections(servers, limits);
  open.push(created);
  return created;
}

const tool = async (mcp: McpConnections, name: string) => {
  const found = (await mcp.tools('calc')).tools.find((candidate) => candidate.name === `calc.${name}`);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

describe('MCP servers', () => {
  it('stdio: lists the tools as <server>.<tool> with their schemas, and calls them', async () => {
    const mcp = connections([stdio()]);
    const { tools } = await mcp.tools('calc');
    expect(tools.map((candidate) => candidate.name)).toEqual(['calc.add', 'calc.echo', 'calc.word_count', 'calc.fail', 'calc.slow', 'calc.big', 'calc.env', 'calc.weather']);
    expect(tools[0]?.parameters).toMatchObject({ type: 'object', required: ['a', 'b'] });
    expect(await (await tool(mcp, 'add')).run({ a: 2, b: 3 }, {})).toEqual({ content: '5', isError: false });
  });

  it('a bad tool is skipped, with why, and the server\'s other tools are listed: a schema that does not compile, one MCP refuses, a name listed twice', async () => {
    const mcp = connections([stdio({ command: ['node', SERVER, '--tool-schema-not-object', '--duplicate-tool'] })]);
    const { tools, skipped } = await mcp.tools('calc');
    expect(tools.map((candidate) => candidate.name)).toEqual(['calc.add', 'calc.echo', 'calc.word_count', 'calc.fail', 'calc.slow', 'calc.big', 'calc.env', 'calc.weather']);
    expect(skipped).toEqual([
      { tool: 'stringy', reason: 'it is not a valid MCP tool: `inputSchema.type`: Invalid input: expected "object"' },
      { tool: 'broken', reason: 'its input schema does not compile (schema is invalid: data/properties/n/minimum must be number)' },
      { tool: 'echo', reason: 'the server lists this name more than once: a call names a tool only by its name, so only its first listing is offered' },
    ]);
    // The first `echo` is the one offered, and it works.
    expect(tools[1]?.parameters).toMatchObject({ required: ['text'] });
    expect(await (await tool(mcp, 'echo')).run({ text: 'hi' }, {})).toEqual({ content: 'hi', isError: false });
  });

  it('a bad tool outside allowed_tools is not reported', async () => {
    const mcp = connections([stdio({ command: ['node', SERVER, '--tool-schema-not-object'], allowedTools: ['add'] })]);
    expect(await mcp.tools('calc')).toMatchObject({ skipped: [] });
  });

  it('a tool with a 2020-12 output schema is listed and called; structured content that breaks it is an error result', async () => {
    const mcp = connections([stdio({ allowedTools: ['weather'] })]);
    const weather = await tool(mcp, 'weather');
    expect(await weather.run({ city: 'Oslo' }, {})).toEqual({ content: '{"celsius":21}', isError: false });
    expect(await weather.run({ city: 'nowhere' }, {})).toEqual({
      content: 'MCP server "calc" failed: MCP error -32602: Structured content does not match the tool\'s output schema: /celsius: must be number',
      isError: true,
    });
  });

  it('allowed_tools restricts what is offered', async () => {
    const mcp = connections([stdio({ allowedTools: ['echo', 'add'] })]);
    expect((await mcp.tools('calc')).tools.map((candidate) => candidate.name)).toEqual(['calc.add', 'calc.echo']);
  });

  it('a failing tool, a slow one and a huge result are results the model sees, never crashes', async () => {
    const mcp = connections([stdio({ timeoutSeconds: 1 })]);
    expect(await (await tool(mcp, 'fail')).run({}, {})).toEqual({ content: 'this tool always fails', isError: true });
    const slow = await (await tool(mcp, 'slow')).run({ ms: 1500 }, {});
    expect(slow).toMatchObject({ isError: true, content: 'no answer from MCP server "calc" within 1 s' });
    const big = await (await tool(mcp, 'big')).run({}, {});
    expect(big.isError).toBe(false);
    expect(Buffer.byteLength(big.content)).toBeLessThanOrEqual(LIMITS.maxOutputBytes);
    // The server still answers after a timed-out call.
    expect(await (await tool(mcp, 'add')).run({ a: 1, b: 1 }, {})).toEqual({ content: '2', isError: false });
  });

  it('the server gets a scrubbed environment: no API keys, no SOP_*; declared variables pass', async () => {
    process.env['OPENAI_API_KEY'] = 'sk-test-SECRET-123456';
    process.env['SOP_SECRET'] = 'hidden';
    try {
      const mcp = connections([stdio({ env: { DOCS_TOKEN: 'given' } })]);
      const names = JSON.parse((await (await tool(mcp, 'env')).run({}, {})).content) as string[];
      expect(names).toContain('DOCS_TOKEN');
      expect(names).toContain('PATH');
      expect(names).not.toContain('OPENAI_API_KEY');
      expect(names).not.toContain('SOP_SECRET');
    } finally {
      delete process.env['OPENAI_API_KEY'];
      delete process.env['SOP_SECRET'];
    }
  });

  it('a server whose working folder is missing says so, not that its program is ("spawn node ENOENT")', async () => {
    const folder = path.join(REPO, 'no-such-folder');
    const mcp = connections([stdio({ cwd: folder })]);
    await expect(mcp.tools('calc')).rejects.toMatchObject({
      code: 'MCP_SERVER_FAILED',
      message: expect.stringContaining(`team.yaml:12:3: MCP server "calc": cannot connect: its working folder ${folder} does not exist (\`cwd\`)`),
      hint: expect.stringContaining(`create ${folder}, or correct the server's \`cwd\``),
    });
  });

  it('a server that cannot start is MCP_SERVER_FAILED naming it; close() leaves no process behind', async () => {
    const missing = connections([stdio({ command: ['no-such-mcp-server-program'] })]);
    await expect(missing.tools('calc')).rejects.toMatchObject({ code: 'MCP_SERVER_FAILED', message: expect.stringContaining('team.yaml:12:3: MCP server "calc": cannot connect') });

    const mcp = new McpConnections([stdio()], LIMITS);
    const names = JSON.parse((await (await tool(mcp, 'env')).run({}, {})).content) as string[];
    expect(names.length).toBeGreaterThan(0);
    const pids = await childPids();
    await mcp.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await childPids();
    expect(pids.filter((pid) => after.includes(pid))).toEqual([]);
  });

  it('streamable HTTP: lists and calls the tools of a server at a URL', async () => {
    const child = spawn(process.execPath, [SERVER, '--http', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const url = await new Promise<string>((resolve) => child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    const mcp = connections([{ ...stdio(), command: undefined, cwd: undefined, url, allowedTools: ['word_count'] }]);
    const { tools } = await mcp.tools('calc');
    expect(tools.map((candidate) => candidate.name)).toEqual(['calc.word_count']);
    expect(await tools[0]!.run({ text: 'one two three' }, {})).toEqual({ content: '3', isError: false });
  });
});

/** Pids of this process's children running the test server. */
async function childPids(): Promise<number[]> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('test-server.mjs'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
