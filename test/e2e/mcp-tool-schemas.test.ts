import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/**
 * MCP tools' input schemas come from their server, so `sop validate` cannot see them; a run tells,
 * when it lists the server's tools. A tool the run cannot offer (its `inputSchema` not an object,
 * which made the SDK refuse the whole list; a schema that does not compile, which failed only when
 * called; a name listed twice) is skipped with a warning naming the server, the tool and why, and
 * the server's other tools are offered. An action that names such a tool stops the run at once.
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

const ADD_THEN_ANSWER = 'apiVersion: sop-script/v1\nanswers:\n  - role: analyst\n    action: answer\n    tools: [{ tool: calc.add, args: { a: 2, b: 3 } }]\n    output: done\n';

describe('sop run: MCP tools whose input schema is wrong', () => {
  it('a tool whose `inputSchema` is not an object or does not compile, or whose name is listed twice: a warning each, and the other tools work', async () => {
    const cwd = project(['--tool-schema-not-object', '--duplicate-tool'], '[calc.*]', ADD_THEN_ANSWER);
    const result = await sop(['run', 'sop.yaml', 'What is 2 + 3?', '--ci'], { cwd, env: { HOME: cwd } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    const warnings = (result.stdout + result.stderr).split('\n').filter((line) => line.includes('warning:'));
    expect(warnings).toEqual([
      '[round 1] analyst answer: warning: MCP server "calc" lists tool calc.stringy, skipped: it is not a valid MCP tool: `inputSchema.type`: Invalid input: expected "object"; its other tools are offered',
      '[round 1] analyst answer: warning: MCP server "calc" lists tool calc.broken, skipped: its input schema does not compile (schema is invalid: data/properties/n/minimum must be number); its other tools are offered',
      '[round 1] analyst answer: warning: MCP server "calc" lists tool calc.echo, skipped: the server lists this name more than once: a call names a tool only by its name, so only its first listing is offered; its other tools are offered',
    ]);
    expect(result.stderr).toContain('analyst answer ... done (2 calls, 1 tool call');
  });

  it('an action that names a skipped tool: MCP_SERVER_FAILED at once, naming the server, the tool, the action and why, before any model call', async () => {
    const cwd = project([], '[calc.add, calc.broken]', ADD_THEN_ANSWER);
    const result = await sop(['run', 'sop.yaml', 'q', '--ci'], { cwd, env: { HOME: cwd } });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(
      'error MCP_SERVER_FAILED: sop.yaml:6:3: MCP server "calc": tool `broken`, which action `answer` (role `analyst`) offers, cannot be used: ' +
        'its input schema does not compile (schema is invalid: data/properties/n/minimum must be number)\n' +
        '  hint: fix the tool in the server (or use a version of the server that does), or take `calc.broken` out of the action\'s tools (`calc.*` offers the server\'s other tools)\n',
    );
    expect(result.stderr).toContain('[round 1] analyst answer ... FAILED');
    expect(result.stderr).not.toMatch(/model calls: [1-9]/);
  });
});
