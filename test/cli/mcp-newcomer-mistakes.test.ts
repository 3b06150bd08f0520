import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A folder holding `sop.yaml` with `text`. */
function sopFolder(text: string): string {
  const cwd = tempDir('sop-mcp-newcomer-');
  writeFileSync(path.join(cwd, 'sop.yaml'), text);
  return cwd;
}

const SHELL_SYNTAX_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: shell-syntax, version: 1.0.0, requires: ">=0.2 <1" }
messages:
  Ask: { description: a question }
  Answer: { description: the answer }
start: [{ type: Ask, content: "{{ inputs.idea }}" }]
tools:
  issue:
    description: Fetch an issue
    parameters: { type: object, additionalProperties: false, required: [n], properties: { n: { type: integer } } }
    http:
      url: "https://api.github.com/issues/{{ args.n }}"
      headers: { Authorization: "Bearer $GH_TOKEN" }
mcp_servers:
  files:
    command: [node, server.mjs]
    env: { API_TOKEN: "\${NOTES_TOKEN}", GOOD: "\${env:NOTES_TOKEN}" }
roles:
  helper:
    profile: Helper
    watch: [Ask]
    actions:
      - { id: answer, prompt: "{{ message.content }}", tools: [files.*, issue], output: { type: Answer } }
stop_when: { type: Answer }
`;

describe('a shell\'s ${NAME} or $NAME where sop reads ${env:NAME}', () => {
  // The server got the text `${NOTES_TOKEN}` as its token, and the request `Bearer $GH_TOKEN`:
  // `sop validate` said "valid", the run said nothing, and the token never arrived.
  it('sop validate warns ENV_NOT_EXPANDED at each value, with the ${env:NAME} to write; ${env:NAME} itself is not warned of', async () => {
    const cwd = sopFolder(SHELL_SYNTAX_SOP);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('sop.yaml:14:33: warning ENV_NOT_EXPANDED: `$GH_TOKEN` is sent as written: sop reads an environment variable only as `${env:GH_TOKEN}`');
    expect(result.stdout).toContain('hint: write `${env:GH_TOKEN}` (read when the run starts; no shell starts the server or sends the request, so `$GH_TOKEN` and `${GH_TOKEN}` are not read)');
    expect(result.stdout).toContain('sop.yaml:18:23: warning ENV_NOT_EXPANDED: `${NOTES_TOKEN}` is sent as written: sop reads an environment variable only as `${env:NOTES_TOKEN}`');
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');
  });
});
