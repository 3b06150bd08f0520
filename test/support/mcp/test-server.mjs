// A small real MCP server for the tests, built with the SDK's low-level Server (plain JSON Schemas).
// Stdio by default; `--http 0` serves streamable HTTP on 127.0.0.1 (a free port) and prints its URL.
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const object = (properties, required = Object.keys(properties)) => ({ type: 'object', properties, required });
// Every tool here changes nothing, and says so (MCP's `readOnlyHint`): the offline model calls only such MCP tools.
const READ_ONLY = { readOnlyHint: true };
const TOOLS = [
  { name: 'add', description: 'Add two numbers', inputSchema: object({ a: { type: 'number' }, b: { type: 'number' } }) },
  { name: 'echo', description: 'Echo a text', inputSchema: object({ text: { type: 'string' } }) },
  { name: 'word_count', description: 'Count the words of a text', inputSchema: object({ text: { type: 'string' } }) },
  { name: 'fail', description: 'Always fails', inputSchema: object({}) },
  { name: 'slow', description: 'Answers after ms milliseconds', inputSchema: object({ ms: { type: 'number' } }) },
  { name: 'big', description: 'About 1 MB of text', inputSchema: object({}) },
  { name: 'env', description: 'The names of the environment variables the server sees', inputSchema: object({}) },
  // A 2020-12 output schema (the SDK's own validator reads draft-07 only); `city: nowhere` breaks it.
  {
    name: 'weather',
    description: 'The temperature in a city',
    inputSchema: object({ city: { type: 'string' } }),
    outputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', required: ['celsius'], properties: { celsius: { type: 'number' } } },
  },
  // A schema no JSON Schema validator compiles (`minimum` must be a number): sop skips the tool, with a warning, and offers the others.
  { name: 'broken', description: 'Has a schema that does not compile', inputSchema: object({ n: { type: 'integer', minimum: 'one' } }) },
  // With `--tool-schema-not-object`, a tool whose arguments are not an object: the SDK's client refuses the whole list; sop skips that tool only.
  ...(process.argv.includes('--tool-schema-not-object') ? [{ name: 'stringy', description: 'Takes a bare string', inputSchema: { type: 'string' } }] : []),
  // With `--duplicate-tool`, `echo` listed a second time with other arguments: a call by that name cannot reach it.
  ...(process.argv.includes('--duplicate-tool') ? [{ name: 'echo', description: 'Echo a number', inputSchema: object({ n: { type: 'number' } }) }] : []),
].map((tool) => ({ ...tool, annotations: READ_ONLY }));

const text = (value, isError = false) => ({ content: [{ type: 'text', text: String(value) }], ...(isError ? { isError: true } : {}) });

function newServer() {
  const server = new Server({ name: 'sop-test-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case 'add':
        return text(Number(args.a) + Number(args.b));
      case 'echo':
        return text(args.text);
      case 'word_count':
        return text(String(args.text ?? '').split(/\s+/).filter(Boolean).length);
      case 'fail':
        return text('this tool always fails', true);
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, Number(args.ms)));
        return text('done');
      case 'big':
        return text('x'.repeat(1024 * 1024));
      case 'weather': {
        const structuredContent = args.city === 'nowhere' ? { celsius: 'unknown' } : { celsius: 21 };
        return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
      }
      case 'env':
        return text(JSON.stringify(Object.keys(process.env).sort()));
      default:
        return text(`unknown tool ${request.params.name}`, true);
    }
  });
  return server;
}

const httpIndex = process.argv.indexOf('--http');
if (httpIndex === -1) {
  process.stderr.write('sop test server on stdio\n');
  await newServer().connect(new StdioServerTransport());
} else {
  // Stateless: a new server and transport per request.
  const http = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  http.listen(Number(process.argv[httpIndex + 1] ?? 0), '127.0.0.1', () => {
    process.stdout.write(`http://127.0.0.1:${http.address().port}/mcp\n`);
  });
}
