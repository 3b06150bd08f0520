import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SchemaValidators } from '../../src/spec/index.js';
import type { ResolvedMcpServer } from '../../src/spec/resolved.js';
import { McpConnections, type Tool } from '../../src/tools/index.js';
import { removeTempDirs, repoRoot, tempDir } from '../cli/run-cli.js';
import { officialServerScript, startEverythingHttp, type HttpServer } from '../support/mcp/official-servers.js';

/*
 * The official MCP servers, started from node_modules, spoken to for real. Their tools declare
 * draft-07 schemas (`$schema: http://json-schema.org/draft-07/schema#`), which the runtime must read.
 */

const LIMITS = { timeoutSeconds: 30, maxOutputBytes: 16_384 };
const validators = new SchemaValidators();

const server = (name: string, extra: Partial<ResolvedMcpServer>): ResolvedMcpServer => ({
  name,
  command: undefined,
  cwd: repoRoot,
  env: {},
  url: undefined,
  headers: {},
  allowedTools: undefined,
  timeoutSeconds: undefined,
  origin: { file: 'team.yaml', line: 3, column: 3, pointer: `/mcp_servers/${name}`, lineOffset: 0 },
  ...extra,
});

const open: McpConnections[] = [];
const httpServers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((connections) => connections.close()));
  for (const http of httpServers.splice(0)) http.stop();
});
afterAll(removeTempDirs);

async function toolsOf(resolved: ResolvedMcpServer): Promise<Map<string, Tool>> {
  const connections = new McpConnections([resolved], LIMITS);
  open.push(connections);
  const { tools, skipped } = await connections.tools(resolved.name);
  // Every tool an official server lists is valid MCP with a schema that compiles: none is skipped.
  expect(skipped).toEqual([]);
  return new Map(tools.map((tool) => [tool.name.slice(resolved.name.length + 1), tool]));
}

/** Every tool's schema compiles where the runtime checks arguments (the draft-07 ones were refused). */
function expectAllSchemasCompile(tools: Map<string, Tool>): void {
  expect(tools.size).toBeGreaterThan(0);
  for (const tool of tools.values()) {
    expect(tool.parameters['$schema'], tool.name).toBe('http://json-schema.org/draft-07/schema#');
    expect(validators.check(tool.parameters, {}), tool.name).not.toHaveProperty('schemaError');
  }
}

/** Calls a tool the way the run does: arguments checked against its schema first. */
async function call(tools: Map<string, Tool>, name: string, args: Record<string, unknown>) {
  const tool = tools.get(name);
  if (!tool) throw new Error(`no tool ${name} among ${[...tools.keys()].join(', ')}`);
  expect(validators.check(tool.parameters, args)).toEqual({ errors: [] });
  return tool.run(args, {});
}

describe('official MCP servers over stdio', () => {
  it('server-memory: stores an entity in its file and finds it again', async () => {
    const dir = tempDir('sop-mcp-memory-');
    const memoryFile = path.join(dir, 'memory.jsonl');
    const tools = await toolsOf(server('memory', { command: ['node', officialServerScript('server-memory')], env: { MEMORY_FILE_PATH: memoryFile } }));
    expectAllSchemasCompile(tools);
    const created = await call(tools, 'create_entities', { entities: [{ name: 'sop', entityType: 'project', observations: ['runs teams of agents'] }] });
    expect(created.isError).toBe(false);
    const found = await call(tools, 'search_nodes', { query: 'sop' });
    expect(found).toMatchObject({ isError: false, content: expect.stringContaining('runs teams of agents') });
    expect(readFileSync(memoryFile, 'utf8')).toContain('"name":"sop"');
    // Arguments that break the draft-07 schema are refused before the server sees them.
    expect(validators.check(tools.get('create_entities')!.parameters, { entities: [{ name: 'x' }] })).toEqual({
      errors: ['/entities/0/entityType: required property is missing', '/entities/0/observations: required property is missing'],
    });
  });

  it('server-filesystem: writes and reads a file inside its allowed folder, refuses one outside', async () => {
    const dir = tempDir('sop-mcp-fs-');
    const tools = await toolsOf(server('files', { command: ['node', officialServerScript('server-filesystem'), dir] }));
    expectAllSchemasCompile(tools);
    const note = path.join(dir, 'note.txt');
    expect(await call(tools, 'write_file', { path: note, content: 'hello from sop' })).toMatchObject({ isError: false });
    expect(readFileSync(note, 'utf8')).toBe('hello from sop');
    expect(await call(tools, 'read_text_file', { path: note })).toEqual({ isError: false, content: 'hello from sop' });
    const outside = await call(tools, 'read_text_file', { path: path.join(repoRoot, 'package.json') });
    expect(outside).toMatchObject({ isError: true, content: expect.stringContaining('outside allowed directories') });
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
  });

  it('server-everything: adds two numbers', async () => {
    const tools = await toolsOf(server('everything', { command: ['node', officialServerScript('server-everything'), 'stdio'] }));
    expectAllSchemasCompile(tools);
    expect(await call(tools, 'get-sum', { a: 2, b: 3 })).toMatchObject({ isError: false, content: expect.stringContaining('5') });
    expect(validators.check(tools.get('get-sum')!.parameters, { a: 'two', b: 3 })).toEqual({ errors: ['/a: must be number'] });
  });
});

describe('official MCP servers over streamable HTTP', () => {
  it('server-everything at a URL: lists its tools and echoes', async () => {
    const http = await startEverythingHttp();
    httpServers.push(http);
    const tools = await toolsOf(server('everything', { cwd: undefined, url: http.url, allowedTools: ['echo', 'get-sum'] }));
    expect([...tools.keys()]).toEqual(['echo', 'get-sum']);
    expectAllSchemasCompile(tools);
    expect(await call(tools, 'echo', { message: 'over HTTP' })).toEqual({ isError: false, content: 'Echo: over HTTP' });
  });
});
