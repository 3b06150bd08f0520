import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * MCP tools' input schemas come from their server, so `sop validate` cannot see them; a run tells.
 * A tool whose `inputSchema` is not `type: "object"` makes the SDK refuse the server's whole tool
 * list with a schema error that names an index: the run said the server had "stopped", quoting its
 * start-up banner. Now it names the server and the tool and what is wrong. A tool whose schema does
 * not compile is offered, and a call to it fails as a tool error naming it; the run goes on.
 */
const SERVER = fileURLToPath(new URL('../support/mcp/test-server.mjs', import.meta.url));

function project(serverArgs: string[], tools: string, answers: string | undefined): string {
  const cwd = tempDir('sop-mcp-schemas-');
  writeFileSync(
    path.join(cwd, 'sop.yaml'),
    [
      'apiVersion: sop/v1',
      'kind: SOP',
      'metadata: { name: mcp-schemas, version: 1.0.0, requires: ">=0.2 <1" }',
      ...(answers ? ['settings: { model: "script:answers.yaml" }'] : []),
      'mcp_servers:',
      `  calc: { command: ${JSON.stringify(['node', SERVER, ...serverArgs])} }`,
      'messages:',
      '  Question: { description: q }',
      '  Answer: { description: a }',
      'start:',
      '  - { type: Question, content: "{{ inputs.idea }}" }',
      'roles:',
      '  analyst:',
      '    profile: Analyst',
      '    watch: [Question]',
      '    actions:',
      `      - { id: answer, prompt: "{{ message.content }}", output: { type: Answer }, tools: ${tools} }`,
      'stop_when: { type: Answer }',
      '',
    ].join('\n'),
  );
  if (answers) writeFileSync(path.join(cwd, 'answers.yaml'), answers);
  return cwd;
}

describe('sop run: MCP tools whose input schema is wrong', () => {
  it('a tool whose `inputSchema` is not an object: MCP_SERVER_FAILED naming the server and the tool, not a server that "stopped"', async () => {
    const cwd = project(['--tool-schema-not-object'], '[calc.add]', undefined);
    const result = await sop(['run', 'sop.yaml', 'What is 1 + 2?', '--ci'], { cwd, env: { HOME: cwd } });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(
      'error MCP_SERVER_FAILED: sop.yaml:5:3: MCP server "calc": cannot list its tools: its tool list is not valid MCP, so none of its tools can be used: ' +
        'tool `stringy`: `inputSchema.type`: Invalid input: expected "object"\n' +
        '  hint: an MCP tool\'s `inputSchema` must be a JSON Schema object with `type: "object"` (arguments are an object): fix the tool in the server, or use a version of the server that does\n',
    );
    expect(result.stderr).not.toContain('stopped');
  });

  it('a tool whose schema does not compile: a call to it is a tool error naming it, and the run completes', async () => {
    const answers = 'apiVersion: sop-script/v1\nanswers:\n  - role: analyst\n    action: answer\n    tools: [{ tool: calc.broken, args: { n: 1 } }]\n    output: done\n';
    const cwd = project([], '[calc.broken]', answers);
    const result = await sop(['run', 'sop.yaml', 'q', '--ci'], { cwd, env: { HOME: cwd } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout + result.stderr).toContain('tool calc.broken failed: this tool cannot be called: its parameters schema does not compile (schema is invalid: data/properties/n/minimum must be number)');
  });
});
