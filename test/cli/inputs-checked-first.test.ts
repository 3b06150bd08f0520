import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop run` of an SOP with a required input and an MCP server reading `${env:NAME}`, given
 * neither: it said only CONFIG_ENV_MISSING (exit 11); once the variable was exported, the next run
 * said INPUT_MISSING (exit 2). The inputs, the user's own command line, are checked first.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: triage, version: 0.1.0 }
inputs:
  ticket: { type: string, description: the ticket text }
messages:
  Ticket: {}
  Reply: {}
start: [{ type: Ticket, content: "{{ inputs.ticket }}" }]
stop_when: { type: Reply }
mcp_servers:
  kb: { command: [node, kb.mjs], env: { KB_TOKEN: "\${env:SOP_TEST_KB_TOKEN_UNSET}" } }
roles:
  agent:
    profile: Agent
    watch: [Ticket]
    actions:
      - id: reply
        prompt: "Reply to {{ message.content }}"
        tools: [kb.*]
        output: { type: Reply, format: markdown }
`;

afterAll(removeTempDirs);

describe('sop run: the inputs are checked before the MCP servers\' environment', () => {
  it('a missing required input is the error (exit 2), not the unset ${env:NAME}', async () => {
    const cwd = tempDir('sop-inputs-first-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sop(['run', 'sop.yaml'], { cwd, env: { SOP_TEST_KB_TOKEN_UNSET: undefined } });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error INPUT_MISSING: input "ticket" (string) is required');
    expect(result.stderr).not.toContain('CONFIG_ENV_MISSING');
    // Given the input, the unset variable is the next problem, as before.
    const next = await sop(['run', 'sop.yaml', '--input', 'ticket=printer on fire'], { cwd, env: { SOP_TEST_KB_TOKEN_UNSET: undefined } });
    expect(next.code, next.stderr).toBe(11);
    expect(next.stderr).toContain('error CONFIG_ENV_MISSING: environment variable SOP_TEST_KB_TOKEN_UNSET is not set');
  });
});
