import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// A stdio MCP server that starts, lists one tool, and dies on the first call, saying why on stderr.
const CRASHING_SERVER = `import readline from 'node:readline';
const send = (id, result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\\n');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  if (m.method === 'initialize') send(m.id, { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'crashy', version: '1.0.0' } });
  else if (m.method === 'tools/list') send(m.id, { tools: [{ name: 'lookup', description: 'Look up', inputSchema: { type: 'object' } }] });
  else if (m.method === 'tools/call') { console.error('Error: the index file is corrupt'); process.exit(3); }
});
`;

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: crashy, version: 1.0.0, requires: ">=0.2 <1" }
messages:
  Ask: { description: a question }
  Answer: { description: the answer }
start: [{ type: Ask, content: "{{ inputs.idea }}" }]
mcp_servers:
  index:
    command: [node, server.mjs]
roles:
  helper:
    profile: Helper
    watch: [Ask]
    actions:
      - { id: answer, prompt: "{{ message.content }}", tools: [index.lookup], output: { type: Answer } }
stop_when: { type: Answer }
`;

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: helper, action: answer, tools: [{ tool: index.lookup, args: {} }, { tool: index.lookup, args: {} }], output: done }
`;

describe('an MCP server that dies during a tool call', () => {
  // The model and the user were told only "MCP error -32000: Connection closed" (then "Not connected"):
  // what the server said as it died was kept and never shown.
  it('the call\'s error says the server stopped, with its last error line, and that its tools are gone for the run', async () => {
    const cwd = tempDir('sop-mcp-crash-');
    writeFileSync(path.join(cwd, 'server.mjs'), CRASHING_SERVER);
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
    const result = await sop(['run', 'sop.yaml', 'find it', '--model', 'script:answers.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const said = 'tool index.lookup failed: MCP server "index" stopped: Error: the index file is corrupt; its tools cannot be called again in this run';
    expect(result.stderr.split(said).length - 1, result.stderr).toBe(2);
    expect(result.stderr).not.toContain('Connection closed');
    expect(result.stderr).not.toMatch(STACK_LINE);
    // The model was handed the same words.
    const runs = path.join(cwd, '.sop', 'runs');
    const journal = readFileSync(path.join(runs, readdirSync(runs)[0] as string, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('its tools cannot be called again in this run');
  }, 60_000);
});
