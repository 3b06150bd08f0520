// A small MCP server (stdio) for examples/mcp-tools: a team's notes, searchable by the model.
// Built with the MCP TypeScript SDK's low-level Server and plain JSON Schemas.
//   node examples/mcp-tools/notes-server.mjs   (speaks MCP on stdin/stdout; sop starts it for you)
// It imports @modelcontextprotocol/sdk: copied out of this repository, `npm install @modelcontextprotocol/sdk` beside it.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const NOTES = [
  { id: 'deploy', title: 'How we deploy', text: 'Deploys go out from main on weekdays before 15:00. Run the smoke tests first; roll back with the previous tag.' },
  { id: 'oncall', title: 'On-call', text: 'The on-call engineer answers pages within 15 minutes and writes a short incident note the same day.' },
  { id: 'reviews', title: 'Code review', text: 'Every change needs one approving review. Reviews check tests, naming and error messages.' },
];

const TOOLS = [
  {
    name: 'search_notes',
    description: 'Find the notes whose title or text contains a word; returns their ids and titles.',
    inputSchema: { type: 'object', required: ['query'], properties: { query: { type: 'string', description: 'A word to look for', examples: ['deploy'] } } },
    // Read-only (MCP's ToolAnnotations): the offline model calls only MCP tools that say so.
    annotations: { readOnlyHint: true },
  },
  {
    name: 'get_note',
    description: 'The full text of one note, by id.',
    inputSchema: { type: 'object', required: ['id'], properties: { id: { type: 'string', enum: NOTES.map((note) => note.id) } } },
    annotations: { readOnlyHint: true },
  },
];

const reply = (text, isError = false) => ({ content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) });

const server = new Server({ name: 'team-notes', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = request.params.arguments ?? {};
  if (request.params.name === 'search_notes') {
    const query = String(args.query ?? '').toLowerCase();
    const found = NOTES.filter((note) => `${note.title} ${note.text}`.toLowerCase().includes(query));
    return reply(found.length === 0 ? 'no notes match' : found.map((note) => `${note.id}: ${note.title}`).join('\n'));
  }
  if (request.params.name === 'get_note') {
    const note = NOTES.find((candidate) => candidate.id === args.id);
    return note ? reply(`# ${note.title}\n\n${note.text}`) : reply(`no note "${args.id}"`, true);
  }
  return reply(`unknown tool ${request.params.name}`, true);
});
await server.connect(new StdioServerTransport());
